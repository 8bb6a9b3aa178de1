import { headersWithContext } from '../bus-context';
import { BusLogger, BusOptions, MessageBus, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec } from '../bus.port';
import { deadLetterRecord } from '../delivery/dead-letter';
import { encodeValue, stringHeaders } from '../delivery/message-value';
import { PartitionProcessor } from '../delivery/partition-processor';
import { resolveSubscription } from '../delivery/subscription-settings';
import { silentLogger } from '../silent-logger';
import { partitionForKey } from '../partitioner';
import { TopicNaming } from '../topic-naming';
import { InMemoryConsumerGroup } from './in-memory-consumer-group';
import { InMemorySubscription } from './in-memory-subscription';
import { InMemoryTopic } from './in-memory-topic';

export interface InMemoryBusOptions extends BusOptions {
  /** records kept per partition, like a broker's retention (default 100000); compacted topics keep each key's latest */
  retainPerPartition?: number;
}

/**
 * The bus inside one process, with Kafka's semantics: partitioned topics (keys placed as Kafka's default
 * partitioner places them), consumer groups with committed offsets that split partitions among their
 * members, and the same retry/backoff/DLQ rules (PartitionProcessor). For the single-process mode and tests.
 */
export class InMemoryBus implements MessageBus {
  private readonly naming: TopicNaming;
  private readonly defaultPartitions: number;
  private readonly logger: BusLogger;
  private readonly retainPerPartition: number;
  private readonly topics = new Map<string, InMemoryTopic>();
  private readonly groups = new Map<string, InMemoryConsumerGroup>();
  private readonly subscriptions = new Set<InMemorySubscription>();
  private closed = false;
  private closing = false;

  constructor(options: InMemoryBusOptions = {}) {
    this.naming = new TopicNaming(options.topicPrefix);
    this.defaultPartitions = options.defaultPartitions ?? 6;
    this.logger = options.logger ?? silentLogger;
    this.retainPerPartition = options.retainPerPartition ?? 100_000;
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    for (const spec of specs) this.topic(spec.topic, spec);
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    const target = this.topic(topic);
    const records = messages.map((m) => ({
      key: String(m.key),
      value: encodeValue(m.value),
      headers: stringHeaders(headersWithContext(m.headers)),
    }));
    const timestamp = Date.now();
    for (const record of records) {
      target.append(partitionForKey(record.key, target.partitionCount), { ...record, timestamp });
    }
    if (records.length) target.appended.notify();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closing) throw new Error('the bus is closed');
    const settings = resolveSubscription(options);
    const topics = settings.topics.map((name) => this.topic(name));
    this.topic(settings.dlqTopic);
    const group = this.group(settings.groupId);
    const processor = new PartitionProcessor({
      groupId: settings.groupId,
      eachMessage: settings.eachMessage,
      eachBatch: settings.eachBatch,
      retry: settings.retry,
      maxBatchSize: settings.maxBatchSize,
      logger: this.logger,
      heartbeatIntervalMs: 0,
      deadLetter: (message, failure) => this.publish(settings.dlqTopic, [deadLetterRecord(message, failure, settings.groupId)]),
    });
    const subscription = new InMemorySubscription({
      group,
      topics,
      processor,
      fromBeginning: settings.fromBeginning,
      partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      logger: this.logger,
      onEnded: (s) => this.subscriptions.delete(s),
    });
    this.subscriptions.add(subscription);
    group.join(subscription);
    return subscription;
  }

  async ping(): Promise<boolean> {
    return !this.closing;
  }

  async close(): Promise<void> {
    this.closing = true;
    // subscriptions finishing their batch may still dead-letter, so publishing stays open until they are done
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
  }

  /** Committed offsets (the next offset to read) of a group on a topic, by partition. */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
    const group = this.groups.get(this.naming.group(groupId));
    const out = new Map<number, string>();
    for (const [partition, offset] of group?.committedOffsets(this.topic(topic).name) ?? []) out.set(partition, String(offset));
    return out;
  }

  /** The partition count of a topic, undefined when it does not exist. */
  partitionCount(topic: string): number | undefined {
    return this.topics.get(this.naming.topic(topic))?.partitionCount;
  }

  private topic(name: string, spec?: TopicSpec): InMemoryTopic {
    const full = this.naming.topic(name);
    let topic = this.topics.get(full);
    if (!topic) {
      topic = new InMemoryTopic(name, spec?.partitions ?? this.defaultPartitions, spec?.compacted ?? false, this.retainPerPartition);
      this.topics.set(full, topic);
    }
    return topic;
  }

  private group(groupId: string): InMemoryConsumerGroup {
    const full = this.naming.group(groupId);
    let group = this.groups.get(full);
    if (!group) {
      group = new InMemoryConsumerGroup(full);
      this.groups.set(full, group);
    }
    return group;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the bus is closed');
  }
}
