import { z } from 'zod';
import { channelTypeSchema } from './common.schema';

export const CHANNEL_CONFIG_TYPE = 'switchboard.channel.config.v1';
export const CHANNEL_STATUS_TYPE = 'switchboard.channel.status.v1';

/** AES-256-GCM ciphertext of a secret (libs/common crypto), never the plain value. */
export const encryptedSecretSchema = z.object({
  v: z.literal(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string().min(1),
});
export type EncryptedSecret = z.infer<typeof encryptedSecretSchema>;

/**
 * An inbox's channel configuration, published by the inbox to the compacted topic
 * inbox.channels.v1 with key inboxId. Connectors hold no database: this is how they learn what to
 * serve. A deleted inbox is a record with `deleted: true` (and later a tombstone).
 */
export const channelConfigSchema = z.object({
  inboxId: z.string().uuid(),
  channelType: channelTypeSchema,
  name: z.string(),
  enabled: z.boolean(),
  deleted: z.boolean().default(false),
  /** increases with every change; connectors ignore older versions */
  version: z.number().int().nonnegative(),
  /** non-secret settings, validated by the connector's manifest config schema */
  settings: z.record(z.unknown()),
  /** secrets by name, encrypted */
  secrets: z.record(encryptedSecretSchema).default({}),
  updatedAt: z.string().datetime({ offset: true }),
});
export type ChannelConfig = z.infer<typeof channelConfigSchema>;

/**
 * A connector's report on an inbox it serves (e.g. credentials rejected → needs_credentials).
 * Published on inbox.delivery.v1 (the connectors → inbox topic) with key inboxId.
 */
export const channelStatusSchema = z.object({
  inboxId: z.string().uuid(),
  channelType: channelTypeSchema,
  connector: z.string().min(1),
  state: z.enum(['running', 'needs_credentials', 'error', 'stopped']),
  reason: z.string().optional(),
  at: z.string().datetime({ offset: true }),
});
export type ChannelStatus = z.infer<typeof channelStatusSchema>;
