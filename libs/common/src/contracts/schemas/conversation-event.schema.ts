import { z } from 'zod';
import { blobRefSchema, channelTypeSchema, isoDateTime } from './common.schema';

/** CloudEvents types on inbox.events.v1 (key conversationId). */
export const ConversationEventTypes = {
  conversationCreated: 'switchboard.conversation.created.v1',
  conversationUpdated: 'switchboard.conversation.updated.v1',
  messageCreated: 'switchboard.message.created.v1',
  messageUpdated: 'switchboard.message.updated.v1',
  notification: 'switchboard.notification.v1',
} as const;

export const conversationStatusSchema = z.enum(['bot', 'queued', 'open', 'pending', 'snoozed', 'resolved']);
export const conversationTypeSchema = z.enum(['question', 'complaint', 'claim', 'request']);
export const deliveryStatusSchema = z.enum(['received', 'pending', 'sent', 'failed']);

/** The conversation as the REST API returns it (API.md, "Conversations"). */
export const conversationSnapshotSchema = z.object({
  id: z.string().uuid(),
  inboxId: z.string().uuid(),
  channel: channelTypeSchema,
  contact: z.object({ id: z.string().uuid(), name: z.string().nullable().optional() }).passthrough(),
  status: conversationStatusSchema,
  priority: z.number().int(),
  type: conversationTypeSchema.nullable(),
  labels: z.array(z.string()),
  assignee: z.object({ id: z.string().uuid(), name: z.string() }).nullable(),
  team: z.object({ id: z.string().uuid(), name: z.string() }).nullable(),
  subject: z.string().nullable().optional(),
  waitingSince: isoDateTime.nullable(),
  version: z.number().int().nonnegative(),
}).passthrough();
export type ConversationSnapshot = z.infer<typeof conversationSnapshotSchema>;

/** A message as the REST API returns it. */
export const messageSnapshotSchema = z.object({
  id: z.string().uuid(),
  conversationId: z.string().uuid(),
  direction: z.enum(['inbound', 'outbound']),
  senderType: z.enum(['contact', 'operator', 'bot', 'system']),
  senderId: z.string().nullable().optional(),
  kind: z.enum(['message', 'note', 'event']),
  text: z.string(),
  html: z.string().nullable().optional(),
  attachments: z.array(blobRefSchema),
  deliveryStatus: deliveryStatusSchema,
  createdAt: isoDateTime,
  threadingReason: z.string().nullable().optional(),
}).passthrough();
export type MessageSnapshot = z.infer<typeof messageSnapshotSchema>;

export const conversationChangedSchema = z.object({
  conversation: conversationSnapshotSchema,
  /** what changed and why (mirrors the conversation_events row) */
  change: z.object({ action: z.string(), actor: z.string().nullable(), reason: z.string().nullable().optional() }).optional(),
});
export const messageChangedSchema = z.object({
  conversation: conversationSnapshotSchema,
  message: messageSnapshotSchema,
});
export const notificationSchema = z.object({
  operatorId: z.string().uuid(),
  kind: z.enum(['mention', 'assignment', 'transfer']),
  conversationId: z.string().uuid(),
  messageId: z.string().uuid().optional(),
  text: z.string(),
});

export type ConversationChanged = z.infer<typeof conversationChangedSchema>;
export type MessageChanged = z.infer<typeof messageChangedSchema>;
export type Notification = z.infer<typeof notificationSchema>;
