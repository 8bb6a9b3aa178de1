import { z } from 'zod';
import {
  base64KeyField,
  booleanField,
  httpEnv,
  intField,
  kafkaEnv,
  optionalStringField,
  secretField,
  stringField,
  urlField,
} from '@switchboard/common';

/** The gateway's environment (validated at boot; a missing or malformed variable stops it, named). */
export const gatewayConfigSchema = z.object({
  ...httpEnv(3000),
  ...kafkaEnv(),
  /** signs operators' access tokens (HS256); visitor tokens use a key derived from it */
  JWT_SECRET: secretField(16),
  /** presented to the inbox's internal API */
  INTERNAL_API_TOKEN: secretField(16),
  /** the inbox service (internal HTTP API) */
  INBOX_URL: urlField({ protocols: ['http:', 'https:'], default: 'http://127.0.0.1:3001' }),
  /** where the inbox serves its internal API (it mirrors /api/v1 below it) */
  INBOX_API_PREFIX: stringField({ default: '/internal/v1' }),
  /** decrypts web chat inbox secrets (identitySecret) from inbox.channels.v1 */
  SECRETS_KEY: base64KeyField(32),
  PUBLIC_URL: urlField({ protocols: ['http:', 'https:'], default: 'http://127.0.0.1:3000' }),
  BLOB_DIR: stringField({ default: './data/blobs' }),
  /** operators' access token lifetime */
  ACCESS_TOKEN_TTL_SECONDS: intField({ min: 30, max: 86_400, default: 900 }),
  /** how often the sessions ended elsewhere (other instances, the inbox) are read; 0: only this instance's logouts */
  SESSION_REVOCATION_POLL_MS: intField({ min: 0, max: 3_600_000, default: 2000 }),
  /** web chat visitor token lifetime */
  VISITOR_TOKEN_TTL_SECONDS: intField({ min: 60, max: 365 * 86_400, default: 30 * 86_400 }),
  /** failed or not, login attempts per email+address per window */
  LOGIN_MAX_ATTEMPTS: intField({ min: 1, max: 10_000, default: 10 }),
  LOGIN_WINDOW_SECONDS: intField({ min: 1, max: 86_400, default: 60 }),
  /** requests per client address per minute on the public web chat endpoints */
  PUBLIC_RATE_LIMIT_PER_MINUTE: intField({ min: 1, max: 1_000_000, default: 300 }),
  /** largest attachment operators and bots upload (POST /api/v1/attachments) */
  ATTACHMENT_MAX_BYTES: intField({ min: 1, max: 1024 * 1024 * 1024, default: 25 * 1024 * 1024 }),
  WEBCHAT_MAX_ATTACHMENT_BYTES: intField({ min: 1, max: 100 * 1024 * 1024, default: 10 * 1024 * 1024 }),
  /** comma-separated content types (a `type/*` entry allows the whole type) */
  WEBCHAT_ALLOWED_CONTENT_TYPES: stringField({ default: 'image/*,application/pdf,text/plain' }),
  /** events kept per instance for sockets that reconnect with lastEventId */
  REPLAY_BUFFER_SIZE: intField({ min: 100, max: 1_000_000, default: 10_000 }),
  /** how long an operator's inbox membership is cached */
  SCOPE_CACHE_MS: intField({ min: 0, max: 600_000, default: 10_000 }),
  /** names this instance in its own consumer groups (default: host, pid and random bytes) */
  GATEWAY_INSTANCE_ID: optionalStringField(),
  /** behind a reverse proxy: take the client address from X-Forwarded-For */
  TRUST_PROXY: booleanField(false),
  /** where /widget.js and the console live (default: apps/gateway/public) */
  GATEWAY_PUBLIC_DIR: optionalStringField(),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
