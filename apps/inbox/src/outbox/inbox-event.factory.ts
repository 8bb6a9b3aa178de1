import {
  ConversationEventTypes,
  newEvent,
  OUTBOUND_MESSAGE_TYPE,
  outboundTopic,
  Topics,
  CHANNEL_CONFIG_TYPE,
  type ChannelConfig,
  type ConversationChanged,
  type MessageChanged,
  type OutboundMessage,
  type Notification,
} from '@switchboard/common';
import { headersWithContext } from '@switchboard/common/bus/bus-context';
import type { ConversationView } from '../conversations/conversation-view';
import { ConversationSnapshotMapper } from '../conversations/conversation-snapshot.mapper';
import type { MessageEntity } from '../persistence/entities/message.entity';
import type { OutboxEvent } from './outbox-record';

export const INBOX_EVENT_SOURCE = 'switchboard/inbox';

export interface ChangeInfo {
  action: string;
  actor: string | null;
  reason?: string | null;
}

/** Builds the outbox records (CloudEvents) the inbox publishes; keys per DESIGN.md "Topics". */
export class InboxEventFactory {
  static conversationCreated(view: ConversationView, change?: ChangeInfo): OutboxEvent {
    return this.conversationEvent(ConversationEventTypes.conversationCreated, view, change);
  }

  static conversationUpdated(view: ConversationView, change?: ChangeInfo): OutboxEvent {
    return this.conversationEvent(ConversationEventTypes.conversationUpdated, view, change);
  }

  static messageCreated(view: ConversationView, message: MessageEntity): OutboxEvent {
    return this.messageEvent(ConversationEventTypes.messageCreated, view, message);
  }

  static messageUpdated(view: ConversationView, message: MessageEntity): OutboxEvent {
    return this.messageEvent(ConversationEventTypes.messageUpdated, view, message);
  }

  static notification(notification: Notification): OutboxEvent {
    const event = newEvent(ConversationEventTypes.notification, INBOX_EVENT_SOURCE, notification, {
      subject: notification.conversationId,
    });
    return { topic: Topics.events, key: notification.conversationId, value: JSON.stringify(event), headers: headersWithContext(undefined), eventId: event.id };
  }

  static outboundMessage(message: OutboundMessage): OutboxEvent {
    const event = newEvent(OUTBOUND_MESSAGE_TYPE, INBOX_EVENT_SOURCE, message, { subject: message.conversationId, id: message.messageId });
    return {
      topic: outboundTopic(message.channelType),
      key: message.conversationId,
      value: JSON.stringify(event),
      headers: headersWithContext(undefined),
      eventId: event.id,
    };
  }

  static channelConfig(config: ChannelConfig): OutboxEvent {
    const event = newEvent(CHANNEL_CONFIG_TYPE, INBOX_EVENT_SOURCE, config, { subject: config.inboxId });
    return { topic: Topics.channels, key: config.inboxId, value: JSON.stringify(event), headers: headersWithContext(undefined), eventId: event.id };
  }

  private static conversationEvent(type: string, view: ConversationView, change?: ChangeInfo): OutboxEvent {
    const data: ConversationChanged = { conversation: ConversationSnapshotMapper.conversation(view), change };
    const event = newEvent(type, INBOX_EVENT_SOURCE, data, { subject: view.conversation.id });
    return { topic: Topics.events, key: view.conversation.id, value: JSON.stringify(event), headers: headersWithContext(undefined), eventId: event.id };
  }

  private static messageEvent(type: string, view: ConversationView, message: MessageEntity): OutboxEvent {
    const data: MessageChanged = {
      conversation: ConversationSnapshotMapper.conversationBrief(view),
      message: ConversationSnapshotMapper.message(message),
    };
    const event = newEvent(type, INBOX_EVENT_SOURCE, data, { subject: view.conversation.id });
    return { topic: Topics.events, key: view.conversation.id, value: JSON.stringify(event), headers: headersWithContext(undefined), eventId: event.id };
  }
}
