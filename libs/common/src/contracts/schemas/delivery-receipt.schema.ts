import { z } from 'zod';
import { channelTypeSchema, isoDateTime } from './common.schema';

export const DELIVERY_RECEIPT_TYPE = 'switchboard.delivery.receipt.v1';

/** A connector's report on an outbound message; inbox.delivery.v1, key conversationId. */
export const deliveryReceiptSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('sent'),
    messageId: z.string().uuid(),
    conversationId: z.string().uuid(),
    inboxId: z.string().uuid(),
    channelType: channelTypeSchema,
    /** the channel's id for the sent message (Message-ID, Telegram message_id) */
    externalId: z.string().min(1),
    at: isoDateTime,
  }),
  z.object({
    status: z.literal('failed'),
    messageId: z.string().uuid(),
    conversationId: z.string().uuid(),
    inboxId: z.string().uuid(),
    channelType: channelTypeSchema,
    /** a ConnectorError code */
    code: z.string().min(1),
    reason: z.string().min(1),
    permanent: z.boolean(),
    at: isoDateTime,
  }),
]);
export type DeliveryReceipt = z.infer<typeof deliveryReceiptSchema>;
