import { z } from 'zod';
import { ValidationFailedError } from './validation-failed.error';
import { fieldProblemsOf } from './zod-issues';

/**
 * Validates input against a zod schema; ValidationFailedError (400, failing fields) when it does not fit,
 * or when a string (or a key) holds the NUL character, which Postgres' text and jsonb cannot store: the
 * field is named here instead of the statement failing later with a 500.
 */
export function parseBody<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationFailedError(fieldProblemsOf(result.error));
  const withNul = nulPaths(result.data, '', []);
  if (withNul.length > 0) {
    throw new ValidationFailedError(withNul.map((path) => ({ path: path || '(root)', message: 'must not contain the NUL character (U+0000)' })));
  }
  return result.data;
}

const MAX_REPORTED = 10;

function nulPaths(value: unknown, path: string, found: string[]): string[] {
  if (found.length >= MAX_REPORTED) return found;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulPaths(item, path ? `${path}.${index}` : String(index), found));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, entry] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) found.push(at);
      else nulPaths(entry, at, found);
    }
  }
  return found;
}
