import { z } from 'zod';
import { httpEnv, intField, kafkaEnv, optionalStringField, secretsKeyEnv, stringField, urlField } from '@switchboard/common';

/** The telegram-connector's environment (validated at boot; a missing or malformed variable stops it, named). */
export const telegramConnectorConfigSchema = z.object({
  ...httpEnv(3003),
  ...kafkaEnv(),
  /** decrypts the bot tokens the inbox publishes on inbox.channels.v1 */
  ...secretsKeyEnv(),
  /** where attachments are stored (shared with the inbox and the gateway) */
  BLOB_DIR: stringField({ default: './data/blobs' }),
  /** the public base URL; Telegram POSTs to `<it>/telegram/<inboxId>/webhook` (webhook mode) */
  PUBLIC_URL: urlField({ protocols: ['http:', 'https:'] }).optional(),
  /** overrides PUBLIC_URL for the webhook when the connector is reached under another address than the gateway */
  TELEGRAM_WEBHOOK_BASE_URL: urlField({ protocols: ['http:', 'https:'] }).optional(),
  /** the Bot API server (a self-hosted telegram-bot-api, or a local fake in tests) */
  TELEGRAM_API_ROOT: urlField({ protocols: ['http:', 'https:'], default: 'https://api.telegram.org' }),
  /** getUpdates long-poll timeout in polling mode */
  TELEGRAM_POLL_TIMEOUT_SECONDS: intField({ min: 0, max: 50, default: 30 }),
  /** attachments larger than this are refused (the Bot API serves 20 MB at most) */
  TELEGRAM_MAX_ATTACHMENT_BYTES: intField({ min: 1, max: 2_000_000_000, default: 20 * 1024 * 1024 }),
  /** a 429 asking to wait up to this long is waited out in place; longer ones are retried later by the host */
  TELEGRAM_MAX_RETRY_AFTER_SECONDS: intField({ min: 0, max: 3600, default: 30 }),
  /** simultaneous webhook connections Telegram may open per bot */
  TELEGRAM_WEBHOOK_MAX_CONNECTIONS: intField({ min: 1, max: 100, default: 40 }),
  /** names this process in the host's per-instance consumer groups (default: host, pid, random) */
  CONNECTOR_INSTANCE_ID: optionalStringField(),
});

export type TelegramConnectorConfig = z.output<typeof telegramConnectorConfigSchema>;
