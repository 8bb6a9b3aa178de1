import { z } from 'zod';
import { httpEnv, intField, kafkaEnv, optionalStringField, secretsKeyEnv, stringField } from '@switchboard/common';

/** The email-connector's environment (validated at boot; a missing or malformed variable stops it, named). */
export const emailConnectorConfigSchema = z.object({
  ...httpEnv(3002),
  ...kafkaEnv(),
  /** decrypts the IMAP / SMTP passwords the inbox publishes on inbox.channels.v1 */
  ...secretsKeyEnv(),
  /** where attachments are stored (shared with the inbox and the gateway) */
  BLOB_DIR: stringField({ default: './data/blobs' }),
  /** messages fetched, emitted and committed per step of a mailbox sync */
  EMAIL_BATCH_SIZE: intField({ min: 1, max: 500, default: 25 }),
  /** a mailbox is synced at least this often even when IDLE reports nothing (safety net) */
  EMAIL_POLL_INTERVAL_SECONDS: intField({ min: 5, max: 3600, default: 60 }),
  /** names this process in the host's per-instance consumer groups (default: host, pid, random) */
  CONNECTOR_INSTANCE_ID: optionalStringField(),
});

export type EmailConnectorConfig = z.output<typeof emailConnectorConfigSchema>;
