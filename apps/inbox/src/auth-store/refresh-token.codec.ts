import { createHash, randomBytes } from 'node:crypto';
import { isUuid } from '@switchboard/common/ids';
import { timingSafeEqualStrings } from '@switchboard/common/crypto';

/** A refresh token as handed out: `<row id>.<secret>`; only sha256(secret) is stored. */
export interface RefreshTokenParts {
  id: string;
  secret: string;
}

export class RefreshTokenCodec {
  static newSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  static format(parts: RefreshTokenParts): string {
    return `${parts.id}.${parts.secret}`;
  }

  /** undefined when the string cannot be one of our tokens */
  static parse(token: string): RefreshTokenParts | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const id = token.slice(0, dot);
    const secret = token.slice(dot + 1);
    if (!isUuid(id) || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) return undefined;
    return { id, secret };
  }

  static hash(secret: string): string {
    return createHash('sha256').update(secret).digest('hex');
  }

  static matches(secret: string, storedHash: string): boolean {
    return timingSafeEqualStrings(RefreshTokenCodec.hash(secret), storedHash);
  }
}
