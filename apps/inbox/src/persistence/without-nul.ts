/**
 * `value` with every NUL (U+0000) in its strings and keys replaced by U+FFFD: Postgres' text and jsonb
 * cannot hold one, and what a channel delivers must not be refused for it. JSON carries a NUL only as the
 * escape `\\u0000`, so callers look for that in the raw text first.
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\ufffd');
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [withoutNul(key) as string, withoutNul(entry)]));
  }
  return value;
}
