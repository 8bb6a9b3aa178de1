/**
 * Every Kafka topic Switchboard uses, in one place (DESIGN.md, "Topics").
 * Keys: see the comment on each entry.
 */
export const Topics = {
  /** connectors → inbox; key `<inboxId>:<threadKey>` */
  inbound: 'inbox.inbound.v1',
  /** inbox → gateway, bots, webhooks, reports; key conversationId */
  events: 'inbox.events.v1',
  /** connectors → inbox; key conversationId */
  delivery: 'inbox.delivery.v1',
  /** inbox → connectors, compacted; key inboxId */
  channels: 'inbox.channels.v1',
  /** connector → itself, compacted; key `<connector>:<inboxId>` */
  connectorOffsets: 'connector.offsets.v1',
  /** any consumer: poison message + error; key = the original key */
  dlq: 'inbox.dlq.v1',
} as const;

/** inbox → the connector of that channel type; key conversationId */
export function outboundTopic(channelType: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(channelType)) {
    throw new Error(`invalid channel type for a topic name: ${JSON.stringify(channelType)}`);
  }
  return `channel.${channelType}.outbound.v1`;
}

/** Topics whose latest value per key is all that matters (cleanup.policy=compact). */
export const CompactedTopics: readonly string[] = [Topics.channels, Topics.connectorOffsets];
