import { z } from 'zod';
import { outboundTopic, Topics } from './topics';
import {
  CHANNEL_CONFIG_TYPE,
  CHANNEL_STATUS_TYPE,
  channelConfigSchema,
  channelStatusSchema,
} from './schemas/channel-config.schema';
import { CONNECTOR_OFFSET_TYPE, connectorOffsetSchema } from './schemas/connector-offset.schema';
import {
  conversationChangedSchema,
  ConversationEventTypes,
  messageChangedSchema,
  notificationSchema,
} from './schemas/conversation-event.schema';
import { DELIVERY_RECEIPT_TYPE, deliveryReceiptSchema } from './schemas/delivery-receipt.schema';
import {
  INBOUND_MESSAGE_EDITED_TYPE,
  INBOUND_MESSAGE_TYPE,
  inboundMessageEditedSchema,
  inboundMessageSchema,
} from './schemas/inbound-message.schema';
import {
  OUTBOUND_MESSAGE_TYPE,
  OUTBOUND_TYPING_TYPE,
  outboundMessageSchema,
  outboundTypingSchema,
} from './schemas/outbound-message.schema';

/** What the registry knows about one CloudEvents type. */
export interface EventContract<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** the zod schema of `data` */
  schema: S;
  /** the topic an event of this type goes to (outbound depends on the channel type) */
  topic: (data: z.output<S>) => string;
  /** the record key (DESIGN.md, "Topics") */
  key: (data: z.output<S>) => string;
}

function contract<S extends z.ZodTypeAny>(
  schema: S,
  topic: (data: z.output<S>) => string,
  key: (data: z.output<S>) => string,
): EventContract<S> {
  return { schema, topic, key };
}

/**
 * Every CloudEvents `type` on the bus → its data schema, topic and key. The codec validates with
 * it; a new event type is added here (with a golden fixture in ./fixtures, which a test demands).
 */
export const eventRegistry = {
  [INBOUND_MESSAGE_TYPE]: contract(
    inboundMessageSchema,
    () => Topics.inbound,
    (data) => `${data.inboxId}:${data.threadKey}`,
  ),
  [INBOUND_MESSAGE_EDITED_TYPE]: contract(
    inboundMessageEditedSchema,
    () => Topics.inbound,
    (data) => `${data.inboxId}:${data.threadKey}`,
  ),
  [OUTBOUND_MESSAGE_TYPE]: contract(
    outboundMessageSchema,
    (data) => outboundTopic(data.channelType),
    (data) => data.conversationId,
  ),
  [OUTBOUND_TYPING_TYPE]: contract(
    outboundTypingSchema,
    (data) => outboundTopic(data.channelType),
    (data) => data.conversationId,
  ),
  [DELIVERY_RECEIPT_TYPE]: contract(
    deliveryReceiptSchema,
    () => Topics.delivery,
    (data) => data.conversationId,
  ),
  [CHANNEL_STATUS_TYPE]: contract(
    channelStatusSchema,
    () => Topics.delivery,
    (data) => data.inboxId,
  ),
  [CHANNEL_CONFIG_TYPE]: contract(
    channelConfigSchema,
    () => Topics.channels,
    (data) => data.inboxId,
  ),
  [CONNECTOR_OFFSET_TYPE]: contract(
    connectorOffsetSchema,
    () => Topics.connectorOffsets,
    (data) => `${data.connector}:${data.inboxId}`,
  ),
  [ConversationEventTypes.conversationCreated]: contract(
    conversationChangedSchema,
    () => Topics.events,
    (data) => data.conversation.id,
  ),
  [ConversationEventTypes.conversationUpdated]: contract(
    conversationChangedSchema,
    () => Topics.events,
    (data) => data.conversation.id,
  ),
  [ConversationEventTypes.messageCreated]: contract(
    messageChangedSchema,
    () => Topics.events,
    (data) => data.conversation.id,
  ),
  [ConversationEventTypes.messageUpdated]: contract(
    messageChangedSchema,
    () => Topics.events,
    (data) => data.conversation.id,
  ),
  [ConversationEventTypes.notification]: contract(
    notificationSchema,
    () => Topics.events,
    (data) => data.conversationId,
  ),
} as const;

export type EventRegistry = typeof eventRegistry;
/** Every registered CloudEvents type. */
export type EventType = keyof EventRegistry;
/** The parsed `data` of an event type. */
export type EventData<T extends EventType> = z.output<EventRegistry[T]['schema']>;
/** What a producer may pass as `data` (before defaults). */
export type EventDataInput<T extends EventType> = z.input<EventRegistry[T]['schema']>;

export const EVENT_TYPES = Object.keys(eventRegistry) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventRegistry, type);
}

export function eventContract<T extends EventType>(type: T): EventContract<EventRegistry[T]['schema']> {
  return eventRegistry[type] as unknown as EventContract<EventRegistry[T]['schema']>;
}
