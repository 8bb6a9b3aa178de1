/**
 * What never reaches the logs: secrets always, message bodies unless the level is debug or
 * trace. Applied to every logged object and to child-logger bindings at any depth; plain objects
 * and arrays are copied, never mutated. Request headers (authorization, cookie) are covered by
 * pino's path redaction (REDACTED_HEADER_PATHS) because pino-http serializes requests later.
 */
export const REDACTED = '[REDACTED]';

/** Keys whose value is a secret (case-insensitive, also as a suffix: accessToken, webhookSecret, SECRETS_KEY). */
const SECRET_KEY =
  /(password|passwd|passphrase|token|secret|secrets|secrets_key|authorization|cookie|api[-_]?key|private[-_]?key|credentials?|identitysecret|bottoken)$/i;
/** Keys holding message bodies. */
const BODY_KEYS = new Set(['text', 'html', 'quotedtext']);

export const REDACTED_HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-internal-token"]',
  'req.headers["x-switchboard-signature"]',
  'res.headers["set-cookie"]',
];

export interface RedactOptions {
  /** mask `text`, `html`, `quotedText` (true at info level and above) */
  maskBodies: boolean;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function maskBody(value: unknown): unknown {
  return typeof value === 'string' ? `[REDACTED ${value.length} chars]` : REDACTED;
}

/** A copy of `value` with secrets (and bodies, when asked) masked. Class instances pass through. */
export function redactDeep(
  value: unknown,
  options: RedactOptions,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (depth > 12) return value;
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    const copy = value.map((item) => redactDeep(item, options, depth + 1, seen));
    seen.delete(value);
    return copy;
  }
  if (!isPlainObject(value)) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined || child === null) copy[key] = child;
    else if (isSecretKey(key)) copy[key] = REDACTED;
    else if (options.maskBodies && BODY_KEYS.has(key.toLowerCase())) copy[key] = maskBody(child);
    else copy[key] = redactDeep(child, options, depth + 1, seen);
  }
  seen.delete(value);
  return copy;
}
