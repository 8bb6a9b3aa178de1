import { randomUUID } from 'node:crypto';
import {
  BusHeaders,
  CHANNEL_CONFIG_TYPE,
  ChannelConfig,
  channelConfigSchema,
  MessageBus,
  newEvent,
  OUTBOUND_MESSAGE_TYPE,
  OUTBOUND_TYPING_TYPE,
  OutboundMessage,
  OutboundMessageInput,
  outboundMessageSchema,
  outboundTopic,
  OutboundTyping,
  outboundTypingSchema,
  Topics,
} from '@switchboard/common';
import { fakeEncrypt } from './fake-secrets';

export interface ChannelConfigInput {
  channelType: string;
  version: number;
  settings: Record<string, unknown>;
  /** plain values, "encrypted" with fakeEncrypt */
  secrets?: Record<string, string>;
  inboxId?: string;
  name?: string;
  enabled?: boolean;
  deleted?: boolean;
}

/** A channel config as the inbox publishes it (secrets through fakeEncrypt: pair with fakeDecrypt). */
export function channelConfig(input: ChannelConfigInput): ChannelConfig {
  return channelConfigSchema.parse({
    inboxId: input.inboxId ?? randomUUID(),
    channelType: input.channelType,
    name: input.name ?? 'Test inbox',
    enabled: input.enabled ?? true,
    deleted: input.deleted ?? false,
    version: input.version,
    settings: input.settings,
    secrets: Object.fromEntries(
      Object.entries(input.secrets ?? {}).map(([name, value]) => [name, fakeEncrypt(value)]),
    ),
    updatedAt: new Date().toISOString(),
  });
}

/** publishes a config to inbox.channels.v1 the way the inbox does (key inboxId) */
export async function publishChannelConfig(bus: MessageBus, config: ChannelConfig): Promise<void> {
  await bus.publish(Topics.channels, [
    { key: config.inboxId, value: newEvent(CHANNEL_CONFIG_TYPE, 'inbox', config) },
  ]);
}

/** an outbound message with valid defaults */
export function outboundMessage(
  input: Partial<OutboundMessageInput> & Pick<OutboundMessageInput, 'inboxId' | 'channelType'>,
): OutboundMessage {
  return outboundMessageSchema.parse({
    messageId: randomUUID(),
    conversationId: randomUUID(),
    recipient: { externalId: 'contact-1' },
    threadKey: 'thread-1',
    text: 'Hello from the inbox',
    sender: { type: 'operator', id: 'operator-1', name: 'Olga' },
    createdAt: new Date().toISOString(),
    ...input,
  });
}

/** publishes to channel.<type>.outbound.v1 the way the inbox does (key conversationId) */
export async function publishOutbound(
  bus: MessageBus,
  message: OutboundMessage,
  headers?: BusHeaders,
): Promise<void> {
  await bus.publish(outboundTopic(message.channelType), [
    { key: message.conversationId, value: newEvent(OUTBOUND_MESSAGE_TYPE, 'inbox', message), headers },
  ]);
}

export async function publishTyping(bus: MessageBus, typing: OutboundTyping): Promise<void> {
  const data = outboundTypingSchema.parse(typing);
  await bus.publish(outboundTopic(data.channelType), [
    { key: data.conversationId, value: newEvent(OUTBOUND_TYPING_TYPE, 'inbox', data) },
  ]);
}
