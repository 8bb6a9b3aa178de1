import { z } from 'zod';

/**
 * Builders for environment variables. Each takes the raw string (an empty value counts as
 * missing), validates it with a message that reads after the variable's name ("is required",
 * "must be a URL"), and gives the typed value. Compose them into a service's schema:
 *
 *   const inboxEnv = z.object({ ...httpEnv(3001), ...kafkaEnv(), DATABASE_URL: databaseUrlField() });
 */

const REQUIRED = { required_error: 'is required', invalid_type_error: 'must be a string' } as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A required (or defaulted) string of at least `minLength` characters. */
export function stringField(options: { minLength?: number; default?: string } = {}) {
  const minLength = options.minLength ?? 1;
  const base = z
    .string(REQUIRED)
    .min(minLength, minLength > 1 ? `must be at least ${minLength} characters` : 'is required');
  return options.default === undefined ? base : base.default(options.default);
}

/** An optional string (absent or empty → undefined). */
export function optionalStringField() {
  return z.string({ invalid_type_error: 'must be a string' }).optional();
}

/** A secret string (JWT_SECRET, INTERNAL_API_TOKEN): required, at least `minLength` characters. */
export function secretField(minLength = 16) {
  return z.string(REQUIRED).min(minLength, `must be at least ${minLength} characters`);
}

/** Kafka brokers: comma-separated `host:port` → string[]. */
export function brokersField(defaultValue?: string) {
  const message = 'must be a comma-separated list of host:port';
  const base = z
    .string(REQUIRED)
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker.length > 0),
    )
    .refine((brokers) => brokers.length > 0, message)
    .refine((brokers) => brokers.every((broker) => isHostPort(broker)), message);
  return defaultValue === undefined ? base : base.default(defaultValue);
}

function isHostPort(value: string): boolean {
  const match = /^([^\s:,/]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(value);
  return match !== null && Number(match[2]) > 0 && Number(match[2]) <= 65535;
}

/** A URL, optionally limited to some protocols (e.g. ['http:', 'https:']). */
export function urlField(options: { protocols?: string[]; default?: string } = {}) {
  const { protocols } = options;
  const message = protocols
    ? `must be a URL (${protocols.map((p) => p.replace(/:$/, '')).join(' or ')})`
    : 'must be a URL';
  const base = z.string(REQUIRED).refine((value) => {
    try {
      const url = new URL(value);
      return !protocols || protocols.includes(url.protocol);
    } catch {
      return false;
    }
  }, message);
  return options.default === undefined ? base : base.default(options.default);
}

/** A Postgres connection URL (postgres:// or postgresql://). */
export function databaseUrlField() {
  return urlField({ protocols: ['postgres:', 'postgresql:'] });
}

/** A TCP port (0 = any free port) → number. */
export function portField(defaultPort?: number) {
  const message = 'must be a port number (0-65535)';
  const base = z
    .string(REQUIRED)
    .regex(/^\d{1,5}$/, message)
    .transform(Number)
    .refine((port) => port <= 65535, message);
  return defaultPort === undefined ? base : base.default(String(defaultPort));
}

/** An integer within [min, max] → number. */
export function intField(options: { min?: number; max?: number; default?: number } = {}) {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const range =
    options.min !== undefined && options.max !== undefined
      ? ` between ${min} and ${max}`
      : options.min !== undefined
        ? ` >= ${min}`
        : options.max !== undefined
          ? ` <= ${max}`
          : '';
  const message = `must be an integer${range}`;
  const base = z
    .string(REQUIRED)
    .regex(/^-?\d+$/, message)
    .transform(Number)
    .refine((value) => value >= min && value <= max, message);
  return options.default === undefined ? base : base.default(String(options.default));
}

/** true/false, 1/0, yes/no, on/off → boolean. */
export function booleanField(defaultValue?: boolean) {
  const base = z
    .string(REQUIRED)
    .transform((value) => value.trim().toLowerCase())
    .refine(
      (value) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(value),
      'must be true or false',
    )
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value));
  return defaultValue === undefined ? base : base.default(String(defaultValue));
}

/** An email address. */
export function emailField() {
  return z.string(REQUIRED).email('must be an email address');
}

/** A 32-byte key in base64 (or base64url), e.g. SECRETS_KEY → Buffer of 32 bytes. */
export function base64KeyField(bytes = 32) {
  const message = `must be ${bytes} bytes base64`;
  return z
    .string(REQUIRED)
    .refine((value) => decodeKey(value.trim(), bytes) !== undefined, message)
    .transform((value) => decodeKey(value.trim(), bytes) as Buffer);
}

function decodeKey(value: string, bytes: number): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  const normalized = value.replace(/-/g, '+').replace(/_/g, '/');
  const decoded = Buffer.from(normalized, 'base64');
  if (decoded.length !== bytes) return undefined;
  // reject strings that decode by dropping characters (Buffer.from is lenient)
  if (decoded.toString('base64').replace(/=+$/, '') !== normalized.replace(/=+$/, '')) return undefined;
  return decoded;
}

/** LOG_LEVEL: one of pino's levels (default info). */
export function logLevelField(defaultLevel: LogLevel = 'info') {
  return z
    .enum(LOG_LEVELS, { errorMap: () => ({ message: `must be one of ${LOG_LEVELS.join(', ')}` }) })
    .default(defaultLevel);
}
