import { z } from 'zod';
import { blobRefSchema, channelTypeSchema } from './common.schema';

export const OUTBOUND_MESSAGE_TYPE = 'switchboard.outbound.message.v1';
export const OUTBOUND_TYPING_TYPE = 'switchboard.outbound.typing.v1';

/**
 * A message to send, published by the inbox to channel.<type>.outbound.v1 with key conversationId.
 * Connectors dedupe on messageId.
 */
export const outboundMessageSchema = z.object({
  messageId: z.string().uuid(),
  conversationId: z.string().uuid(),
  inboxId: z.string().uuid(),
  channelType: channelTypeSchema,
  /** where to send: the contact's identity on this channel (chat id, email address, visitor id) */
  recipient: z.object({
    externalId: z.string().min(1),
    displayName: z.string().optional(),
    email: z.string().optional(),
  }),
  threadKey: z.string().min(1),
  subject: z.string().optional(),
  text: z.string(),
  html: z.string().optional(),
  attachments: z.array(blobRefSchema).default([]),
  /** the channel id of the message this replies to (email In-Reply-To, Telegram reply_to_message_id) */
  inReplyTo: z.string().optional(),
  /** the chain so far (email References) */
  references: z.array(z.string()).default([]),
  /** signed token to put in Reply-To (email) */
  replyToken: z.string().optional(),
  sender: z.object({ type: z.enum(['operator', 'bot', 'system']), id: z.string().optional(), name: z.string().optional() }),
  createdAt: z.string().datetime({ offset: true }),
});
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;
export type OutboundMessageInput = z.input<typeof outboundMessageSchema>;

/** "typing…" shown to the customer where the channel supports it. */
export const outboundTypingSchema = z.object({
  conversationId: z.string().uuid(),
  inboxId: z.string().uuid(),
  channelType: channelTypeSchema,
  recipient: z.object({ externalId: z.string().min(1) }),
});
export type OutboundTyping = z.infer<typeof outboundTypingSchema>;
