import type { MessageBus } from '@switchboard/common';
import type { BotWebhookOptions } from './bots/bot-webhook-options';

/** Injection token of InboxDomainOptions. */
export const INBOX_DOMAIN_OPTIONS = Symbol('INBOX_DOMAIN_OPTIONS');

/** Everything the inbox domain needs, derived from the validated config (see inboxDomainOptions()). */
export interface InboxDomainOptions {
  databaseUrl: string;
  databasePoolSize: number;
  /** SECRETS_KEY: channel secrets (AES-256-GCM) and, through HKDF, reply tokens */
  secretsKey: Buffer;
  /** the token the gateway presents (Authorization: Bearer …) on the internal API */
  internalApiToken: string;
  bus: { kind: 'kafka'; brokers: string[]; topicPrefix?: string; partitions: number } | { kind: 'instance'; bus: MessageBus };
  /** inbound partitions ingested concurrently by one instance */
  inboundConcurrency: number;
  /** max inbound messages per ingestion transaction */
  inboundBatchSize: number;
  routingSweepMs: number;
  /** assignments one instance runs at once */
  routingWorkers: number;
  relayPollMs: number;
  /** bot webhook delivery and automatic handoff (defaults when absent) */
  botWebhooks?: BotWebhookOptions;
  /** where attachments are kept, to delete erased contacts' files (absent: this instance deletes none) */
  blobs?: { dir: string; erasureSweepMs: number };
  /** first admin, created once */
  admin?: { email: string; password: string };
  /** consumer group ids are prefixed by the bus's topic prefix; this names them */
  instanceName?: string;
}
