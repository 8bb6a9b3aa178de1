import { z } from 'zod';
import { blobRefSchema, channelTypeSchema, isoDateTime, refusedAttachmentSchema } from './common.schema';

export const INBOUND_MESSAGE_TYPE = 'switchboard.inbound.message.v1';
export const INBOUND_MESSAGE_EDITED_TYPE = 'switchboard.inbound.message_edited.v1';

/** Who wrote it, as the channel knows them. `externalId` is the stable identity on that channel. */
export const senderIdentitySchema = z.object({
  externalId: z.string().min(1),
  displayName: z.string().optional(),
  username: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  language: z.string().optional(),
});

/** Email addresses seen on the message (for participants and reply-token matching). */
export const emailAddressSchema = z.object({ address: z.string(), name: z.string().optional() });

/**
 * A message from a customer, normalized by a connector. Published to inbox.inbound.v1 with key
 * `<inboxId>:<threadKey>` so one thread's messages are ordered.
 */
export const inboundMessageSchema = z.object({
  inboxId: z.string().uuid(),
  channelType: channelTypeSchema,
  /** idempotency key within the inbox: the channel's id for this message (Message-ID, chat:message_id, …) */
  externalId: z.string().min(1),
  /** the channel's conversation key (Telegram chat id, webchat session's conversation, email: first Message-ID of the chain) */
  threadKey: z.string().min(1),
  sender: senderIdentitySchema,
  sentAt: isoDateTime,
  receivedAt: isoDateTime,
  subject: z.string().optional(),
  text: z.string().default(''),
  /** sanitized HTML only */
  html: z.string().optional(),
  /** the quoted part of a reply, separated for display; the full original stays in text/html */
  quotedText: z.string().optional(),
  attachments: z.array(blobRefSchema).default([]),
  refusedAttachments: z.array(refusedAttachmentSchema).default([]),
  /** external ids of messages this one replies to (email References + In-Reply-To, Telegram reply_to) */
  references: z.array(z.string()).default([]),
  inReplyTo: z.string().optional(),
  /** a signed reply token found in the envelope recipient / Delivered-To / To / Cc */
  replyToken: z.string().optional(),
  /** auto-replies never reopen a conversation nor start a clock */
  autoReply: z.boolean().default(false),
  /** email participants (to / cc / reply-to) */
  participants: z
    .object({
      to: z.array(emailAddressSchema).default([]),
      cc: z.array(emailAddressSchema).default([]),
      replyTo: z.array(emailAddressSchema).default([]),
    })
    .optional(),
  /** channel specifics that no other service interprets (kept for display and debugging) */
  channelMetadata: z.record(z.unknown()).default({}),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;
export type InboundMessageInput = z.input<typeof inboundMessageSchema>;

/** The customer edited a message they sent earlier (Telegram edited_message). */
export const inboundMessageEditedSchema = z.object({
  inboxId: z.string().uuid(),
  channelType: channelTypeSchema,
  externalId: z.string().min(1),
  threadKey: z.string().min(1),
  editedAt: isoDateTime,
  text: z.string(),
  html: z.string().optional(),
});
export type InboundMessageEdited = z.infer<typeof inboundMessageEditedSchema>;
