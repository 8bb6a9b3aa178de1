import { ValidationFailedError } from '@switchboard/common/errors';
import type { z } from 'zod';

/** Opaque pagination cursors: base64url JSON, validated on the way back in (a bad one is a 400 on `cursor`). */
export class CursorCodec {
  static encode(value: Record<string, unknown>): string {
    return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  }

  static decode<S extends z.ZodTypeAny>(schema: S, cursor: string | undefined): z.output<S> | undefined {
    if (!cursor) return undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through
    }
    throw new ValidationFailedError([{ path: 'cursor', message: 'is not a cursor this API gave out' }]);
  }
}
