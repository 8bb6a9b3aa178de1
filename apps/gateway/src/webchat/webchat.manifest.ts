import { z } from 'zod';
import type { ConnectorManifest } from '@switchboard/connector-sdk';

/** An origin as a browser sends it: scheme://host[:port], lower-cased, or `*` for any. */
const originSchema = z
  .string()
  .trim()
  .transform((value) => (value === '*' ? value : value.replace(/\/+$/, '').toLowerCase()))
  .refine(
    (value) => value === '*' || /^https?:\/\/[^/\s?#]+$/.test(value),
    'must be an origin like https://shop.example (or *)',
  );

/** A web chat inbox's non-secret settings (its identitySecret is a secret). */
export const webchatSettingsSchema = z
  .object({
    /** pages on these origins may embed the widget and call /webchat/v1 */
    allowedOrigins: z.array(originSchema).default([]),
    /** the public key the widget names the inbox by (default: the inbox id) */
    inboxKey: z.string().min(1).max(200).optional(),
    maxAttachmentBytes: z.number().int().positive().optional(),
    allowedContentTypes: z.array(z.string().min(1)).optional(),
  })
  .passthrough();

export type WebchatSettings = z.output<typeof webchatSettingsSchema>;

export const WEBCHAT_CHANNEL = 'webchat';

export const webchatManifest: ConnectorManifest<WebchatSettings> = {
  id: 'webchat',
  channelType: WEBCHAT_CHANNEL,
  displayName: 'Web chat',
  capabilities: ['text', 'attachments', 'typing'],
  settingsSchema: webchatSettingsSchema,
  secretNames: ['identitySecret'],
  limits: { maxAttachmentBytes: 10 * 1024 * 1024 },
};
