import { blobRefSchema, isoDateTime } from '@switchboard/common';
import { z } from 'zod';

/** A visitor as their token says (bound to one inbox and one thread). */
export const visitorSchema = z.object({
  inboxId: z.string().uuid(),
  /** the visitor's conversation: the thread key of the inbox's conversation(s) */
  threadId: z.string().uuid(),
  /** the contact's identity on the web chat channel: `visitor:<threadId>` or, verified, `user:<identifier>` */
  externalId: z.string().min(1).max(300),
  name: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  verified: z.boolean(),
});
export type Visitor = z.infer<typeof visitorSchema>;

/**
 * What the web chat channel normalizes (the "vendor payload" of this connector): a visitor's
 * message as the gateway received it, attachments already stored and checked.
 */
export const webchatInboundSchema = z.object({
  visitor: visitorSchema,
  message: z.object({
    /** the client's id of the message (retries reuse it: the inbox dedupes on it) */
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    text: z.string().max(10_000),
    attachments: z.array(blobRefSchema).max(10).default([]),
    receivedAt: isoDateTime,
    pageUrl: z.string().max(2000).optional(),
    language: z.string().max(20).optional(),
  }),
});
export type WebchatInbound = z.input<typeof webchatInboundSchema>;

/** A message as a visitor sees it (socket event `message.created` and the history). */
export interface VisitorMessage {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  senderType: 'contact' | 'operator' | 'bot' | 'system';
  senderName: string | null;
  text: string;
  attachments: Array<{ name: string; size: number; contentType: string; url: string }>;
  createdAt: string;
}
