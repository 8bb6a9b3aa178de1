import { z } from 'zod';
import {
  booleanField,
  databaseEnv,
  emailField,
  httpEnv,
  intField,
  kafkaEnv,
  optionalStringField,
  secretField,
  secretsKeyEnv,
  stringField,
} from '@switchboard/common';
import type { InboxDomainOptions } from './inbox-domain.options';

/** The inbox's environment (validated at boot; a missing or malformed variable stops it, named). */
export const inboxConfigSchema = z.object({
  ...httpEnv(3001),
  ...kafkaEnv(),
  ...databaseEnv(),
  ...secretsKeyEnv(),
  /** the gateway presents it as `Authorization: Bearer <token>` on the internal API */
  INTERNAL_API_TOKEN: secretField(16),
  /** the first admin, created once when both are set */
  ADMIN_EMAIL: emailField().optional(),
  ADMIN_PASSWORD: optionalStringField(),
  DATABASE_POOL_SIZE: intField({ min: 2, max: 200, default: 10 }),
  /** inbound partitions one instance ingests at once */
  INBOUND_CONCURRENCY: intField({ min: 1, max: 64, default: 6 }),
  /** inbound messages per ingestion transaction at most */
  INBOUND_BATCH_SIZE: intField({ min: 1, max: 5000, default: 500 }),
  /** routing timer sweep (unanswered, snoozed, the queue); 0 turns it off */
  ROUTING_SWEEP_MS: intField({ min: 0, max: 3_600_000, default: 5000 }),
  /** assignments one instance runs at once while draining the queue */
  ROUTING_WORKERS: intField({ min: 1, max: 32, default: 2 }),
  /** outbox relay polling fallback (it is woken by NOTIFY) */
  OUTBOX_POLL_MS: intField({ min: 10, max: 60_000, default: 1000 }),
  /** bot webhooks: the first retry waits this long, each next one twice as long */
  BOT_WEBHOOK_RETRY_BASE_MS: intField({ min: 1, max: 3_600_000, default: 1000 }),
  /** bot webhooks: POSTs of one event at most; after the last failure the conversation is handed off */
  BOT_WEBHOOK_MAX_ATTEMPTS: intField({ min: 1, max: 50, default: 5 }),
  /** bot webhooks: one POST's time limit */
  BOT_WEBHOOK_TIMEOUT_MS: intField({ min: 100, max: 120_000, default: 10_000 }),
  /** bot webhooks: how often the dispatcher looks for due deliveries (it is also woken in-process) */
  BOT_WEBHOOK_POLL_MS: intField({ min: 10, max: 60_000, default: 500 }),
  /** the sweep that hands off conversations whose bot stayed silent; 0 turns it off */
  BOT_TIMEOUT_SWEEP_MS: intField({ min: 0, max: 3_600_000, default: 2000 }),
  /** bot webhooks may point at this host or private networks (a local bot in development); off in production */
  BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanField(false),
  /** failed logins per address and email within the window, counted for all gateways together (five times as many per address) */
  LOGIN_MAX_ATTEMPTS: intField({ min: 1, max: 10_000, default: 10 }),
  LOGIN_WINDOW_SECONDS: intField({ min: 1, max: 86_400, default: 60 }),
  /** the attachments' directory (the same as the connectors' and the gateway's): erased contacts' files are deleted there */
  BLOB_DIR: stringField({ default: './data/blobs' }),
  /** how often the queue of erased attachment files is swept besides right after an erasure; 0: only then */
  BLOB_ERASURE_SWEEP_MS: intField({ min: 0, max: 86_400_000, default: 60_000 }),
});

export type InboxConfig = z.output<typeof inboxConfigSchema>;

/** The domain module's options from the validated config. */
export function inboxDomainOptions(config: InboxConfig): InboxDomainOptions {
  return {
    databaseUrl: config.DATABASE_URL,
    databasePoolSize: config.DATABASE_POOL_SIZE,
    secretsKey: config.SECRETS_KEY,
    internalApiToken: config.INTERNAL_API_TOKEN,
    bus: { kind: 'kafka', brokers: config.KAFKA_BROKERS, topicPrefix: config.KAFKA_TOPIC_PREFIX, partitions: config.KAFKA_PARTITIONS },
    inboundConcurrency: config.INBOUND_CONCURRENCY,
    inboundBatchSize: config.INBOUND_BATCH_SIZE,
    routingSweepMs: config.ROUTING_SWEEP_MS,
    routingWorkers: config.ROUTING_WORKERS,
    relayPollMs: config.OUTBOX_POLL_MS,
    botWebhooks: {
      retryBaseMs: config.BOT_WEBHOOK_RETRY_BASE_MS,
      maxAttempts: config.BOT_WEBHOOK_MAX_ATTEMPTS,
      requestTimeoutMs: config.BOT_WEBHOOK_TIMEOUT_MS,
      pollIntervalMs: config.BOT_WEBHOOK_POLL_MS,
      timeoutSweepMs: config.BOT_TIMEOUT_SWEEP_MS,
      allowPrivateNetworks: config.BOT_WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    },
    blobs: { dir: config.BLOB_DIR, erasureSweepMs: config.BLOB_ERASURE_SWEEP_MS },
    admin: config.ADMIN_EMAIL && config.ADMIN_PASSWORD ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } : undefined,
  };
}
