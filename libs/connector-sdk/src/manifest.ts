import type { ZodType, ZodTypeDef } from 'zod';

export type ConnectorCapability =
  'text' | 'html' | 'attachments' | 'typing' | 'edits' | 'reply-to' | 'outbound-start';

/**
 * What a connector is. `settingsSchema` validates the non-secret settings of an inbox of this
 * channel type; `secretNames` lists the config keys that are secrets (encrypted at rest, write-only
 * in the API, decrypted only inside the connector).
 * `settingsSchema` may transform or default fields (its input type is not constrained); the host
 * hands the parsed output to start().
 */
export interface ConnectorManifest<Settings = unknown> {
  /** unique connector id, e.g. `email-imap`; also the prefix of its offset keys */
  id: string;
  /** channel type it serves, e.g. `email`; its outbound topic is channel.<type>.outbound.v1 */
  channelType: string;
  displayName: string;
  capabilities: readonly ConnectorCapability[];
  settingsSchema: ZodType<Settings, ZodTypeDef, unknown>;
  secretNames: readonly string[];
  limits?: { maxAttachmentBytes?: number; allowedContentTypes?: readonly string[] };
}
