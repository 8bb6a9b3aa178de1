import { ConversationEventTypes, type ConversationSnapshot, type DecodedEvent } from '@switchboard/common';

export type ConversationEventType = (typeof ConversationEventTypes)[keyof typeof ConversationEventTypes];
export const CONVERSATION_EVENT_TYPES = Object.values(ConversationEventTypes) as ConversationEventType[];

/** Socket event names (API.md, "Realtime for operators") by CloudEvents type. */
export const SOCKET_EVENT_NAMES: Record<ConversationEventType, string> = {
  [ConversationEventTypes.conversationCreated]: 'conversation.created',
  [ConversationEventTypes.conversationUpdated]: 'conversation.updated',
  [ConversationEventTypes.messageCreated]: 'message.created',
  [ConversationEventTypes.messageUpdated]: 'message.updated',
  [ConversationEventTypes.notification]: 'notification',
};

/** Who may see an event. */
export interface EventAudience {
  /** the conversation's inbox (operators of it, bots of it, admins and supervisors) */
  inboxId?: string;
  /** an assignee sees their conversation even outside their inboxes */
  assigneeId?: string;
  /** a notification: its operator only */
  operatorId?: string;
  /** internal notes never reach bots */
  staffOnly?: boolean;
}

/** An event from inbox.events.v1 as the sockets get it. */
export interface OperatorEvent {
  /** the CloudEvent id: what a client sends back as lastEventId */
  id: string;
  type: ConversationEventType;
  name: string;
  /** the resource as the REST API returns it */
  payload: unknown;
  /** extra context sent as the second argument */
  meta: {
    eventId: string;
    type: string;
    time: string;
    conversation?: ConversationSnapshot;
    change?: unknown;
  };
  audience: EventAudience;
  conversationId: string;
  partition: number;
  timestamp: number;
}

/** A decoded conversation event → what the sockets get and who may see it. */
export function toOperatorEvent(
  event: DecodedEvent<ConversationEventType>,
  partition: number,
  timestamp: number,
): OperatorEvent {
  const base = { id: event.id, type: event.type, name: SOCKET_EVENT_NAMES[event.type], partition, timestamp };
  const meta = { eventId: event.id, type: event.type, time: event.time };
  switch (event.type) {
    case ConversationEventTypes.conversationCreated:
    case ConversationEventTypes.conversationUpdated: {
      const { conversation, change } = event.data;
      return {
        ...base,
        payload: conversation,
        meta: { ...meta, change },
        audience: { inboxId: conversation.inboxId, assigneeId: conversation.assignee?.id },
        conversationId: conversation.id,
      };
    }
    case ConversationEventTypes.messageCreated:
    case ConversationEventTypes.messageUpdated: {
      const { conversation, message } = event.data;
      return {
        ...base,
        payload: message,
        meta: { ...meta, conversation },
        audience: {
          inboxId: conversation.inboxId,
          assigneeId: conversation.assignee?.id,
          staffOnly: message.kind === 'note',
        },
        conversationId: conversation.id,
      };
    }
    case ConversationEventTypes.notification:
      return {
        ...base,
        payload: event.data,
        meta,
        audience: { operatorId: event.data.operatorId },
        conversationId: event.data.conversationId,
      };
  }
}
