import { Admin, CompressionTypes, Kafka, Message, Producer, logLevel } from 'kafkajs';
import { headersWithContext } from '../bus-context';
import { BusLogger, BusOptions, MessageBus, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec } from '../bus.port';
import { deadLetterRecord, toError } from '../delivery/dead-letter';
import { encodeValue, stringHeaders } from '../delivery/message-value';
import { PartitionProcessor } from '../delivery/partition-processor';
import { resolveSubscription } from '../delivery/subscription-settings';
import { silentLogger } from '../silent-logger';
import { TopicNaming } from '../topic-naming';
import { kafkaLogCreator } from './kafka-log-creator';
import { keyPartitioner } from './key-partitioner';
import { KafkaSubscription } from './kafka-subscription';
import { ProduceBatcher } from './produce-batcher';
import { createTopicsAndWait } from './topic-admin';

export interface KafkaBusOptions extends BusOptions {
  brokers: string[];
  clientId: string;
  /** how long a published record may wait for others to share its send (default 2 ms) */
  lingerMs?: number;
  /** records per send at most (default 1000) */
  maxBatchRecords?: number;
  /** bytes per send at most, roughly (default 900 KiB, under the broker's 1 MiB message.max.bytes) */
  maxBatchBytes?: number;
  /** ping() gives up after this long (default 3000 ms) */
  pingTimeoutMs?: number;
  /** a subscribe() waits this long for the consumer to join its group before it returns anyway (default 30000 ms) */
  joinTimeoutMs?: number;
  /**
   * `none` (default), `gzip`, or `auto`: gzip for a send of at least `compressAboveBytes`. Measured on 2
   * cores: gzip takes a quarter off the inbox's CPU per ingested message (bench:ingest, 323 → 236-273 µs/msg:
   * kafkajs' per-byte work on the relay shrinks) but multiplies the operators' realtime latency under load
   * (bench:realtime p50 318 → 1,804 ms: consumers decompress batch by batch), so it is off unless a
   * deployment wants throughput more than latency.
   */
  compression?: 'auto' | 'gzip' | 'none';
  /** with `auto`: the smallest send to compress (default 32 KiB) */
  compressAboveBytes?: number;
}

/**
 * The bus on Kafka (kafkajs): an idempotent producer (acks=all, one request in flight) whose sends are
 * batched across concurrent publish() calls, consumers on `eachBatch` with manual commits, and the shared
 * retry/backoff/DLQ rules of PartitionProcessor.
 */
export class KafkaBus implements MessageBus {
  private readonly naming: TopicNaming;
  private readonly defaultPartitions: number;
  private readonly logger: BusLogger;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly batcher: ProduceBatcher;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly knownTopics = new Set<string>();
  private readonly compression: 'auto' | 'gzip' | 'none';
  private readonly compressAboveBytes: number;
  private producerConnected?: Promise<void>;
  private adminConnected?: Promise<Admin>;
  private pingAdmin?: Admin;
  private closed = false;
  private closing?: Promise<void>;

  constructor(private readonly options: KafkaBusOptions) {
    if (!options.brokers?.length) throw new Error('KafkaBus: at least one broker is required');
    this.naming = new TopicNaming(options.topicPrefix);
    this.defaultPartitions = options.defaultPartitions ?? 6;
    this.compression = options.compression ?? 'none';
    this.compressAboveBytes = options.compressAboveBytes ?? 32 * 1024;
    this.logger = options.logger ?? silentLogger;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: options.logger ? logLevel.WARN : logLevel.NOTHING,
      logCreator: kafkaLogCreator(this.logger),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: keyPartitioner(),
    });
    this.batcher = new ProduceBatcher(
      async (topicMessages) => {
        // done here, not in publish(), so records are queued in the order publish() was called
        const unknown = topicMessages.filter(({ topic }) => !this.knownTopics.has(topic));
        if (unknown.length) await this.ensureTopics(unknown.map(({ topic }) => ({ topic: this.naming.unprefixed(topic) })));
        await this.connectProducer();
        await this.producer.sendBatch({ topicMessages, acks: -1, compression: this.compressionFor(topicMessages) });
      },
      {
        lingerMs: options.lingerMs ?? 2,
        maxBatchRecords: options.maxBatchRecords ?? 1000,
        maxBatchBytes: options.maxBatchBytes ?? 900 * 1024,
      },
    );
  }

  private compressionFor(topicMessages: ReadonlyArray<{ messages: Message[] }>): CompressionTypes {
    if (this.compression !== 'auto') return this.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    let bytes = 0;
    for (const { messages } of topicMessages) {
      for (const message of messages) {
        bytes += (message.value as Buffer | null)?.length ?? 0;
        if (bytes >= this.compressAboveBytes) return CompressionTypes.GZIP;
      }
    }
    return CompressionTypes.None;
  }

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const wanted = specs.filter((spec) => !this.knownTopics.has(this.naming.topic(spec.topic)));
    if (!wanted.length) return;
    const admin = await this.admin();
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((spec) => !existing.has(this.naming.topic(spec.topic)));
    if (missing.length) {
      await createTopicsAndWait(
        admin,
        missing.map((spec) => ({
          topic: this.naming.topic(spec.topic),
          numPartitions: spec.partitions ?? this.defaultPartitions,
          configEntries: spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
        })),
      );
      this.logger.info({ topics: missing.map((s) => s.topic) }, 'bus: topics ready');
    }
    for (const spec of wanted) this.knownTopics.add(this.naming.topic(spec.topic));
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    const fullTopic = this.naming.topic(topic);
    if (!messages.length) return;
    const records: Message[] = messages.map((m) => ({
      key: String(m.key),
      value: encodeValue(m.value),
      headers: stringHeaders(headersWithContext(m.headers)),
    }));
    await this.batcher.enqueue(fullTopic, records);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closing) throw new Error('the bus is closed');
    const settings = resolveSubscription(options);
    await this.ensureTopics([...settings.topics, settings.dlqTopic].map((topic) => ({ topic })));
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000;
    const consumer = this.kafka.consumer({
      groupId: this.naming.group(settings.groupId),
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.rebalanceTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 1000,
      allowAutoTopicCreation: false,
    });
    const processor = new PartitionProcessor({
      groupId: settings.groupId,
      eachMessage: settings.eachMessage,
      eachBatch: settings.eachBatch,
      retry: settings.retry,
      maxBatchSize: settings.maxBatchSize,
      logger: this.logger,
      heartbeatIntervalMs,
      deadLetter: (message, failure) => this.publish(settings.dlqTopic, [deadLetterRecord(message, failure, settings.groupId)]),
    });
    const subscription = new KafkaSubscription({
      consumer,
      naming: this.naming,
      processor,
      logger: this.logger,
      onEnded: (s) => this.subscriptions.delete(s),
    });
    this.subscriptions.add(subscription);
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.logger.error({ groupId: settings.groupId, err: payload.error.message, restart: payload.restart }, 'bus: consumer crashed'),
    );
    let onJoined!: () => void;
    const joined = new Promise<void>((resolve) => (onJoined = resolve));
    const removeJoinListener = consumer.on(consumer.events.GROUP_JOIN, () => onJoined());
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: settings.topics.map((t) => this.naming.topic(t)), fromBeginning: settings.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
        eachBatch: (payload) => subscription.handleBatch(payload),
      });
    } catch (err) {
      removeJoinListener();
      await subscription.stop();
      throw err;
    }
    const timeoutMs = this.options.joinTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      joined.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    removeJoinListener();
    if (timedOut) this.logger.warn({ groupId: settings.groupId, timeoutMs }, 'bus: consumer has not joined its group yet');
    return subscription;
  }

  /** Asks the cluster to describe itself, on a connection of its own that does not retry, within pingTimeoutMs. */
  async ping(): Promise<boolean> {
    const timeoutMs = this.options.pingTimeoutMs ?? 3000;
    this.pingAdmin ??= new Kafka({
      clientId: `${this.options.clientId}-ping`,
      brokers: this.options.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      retry: { retries: 0 },
    }).admin({ retry: { retries: 0 } });
    const admin = this.pingAdmin;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const answer = (async () => {
      await admin.connect();
      await admin.describeCluster();
      return true;
    })().catch(() => false);
    try {
      const ok = await Promise.race([answer, timeout]);
      if (!ok && this.pingAdmin === admin) {
        this.pingAdmin = undefined;
        void answer.then(() => admin.disconnect()).catch(() => undefined);
      }
      return ok;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Committed offsets (the next offset to read) of a group on a topic, by partition; "-1" where none. */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
    const admin = await this.admin();
    const [result] = await admin.fetchOffsets({ groupId: this.naming.group(groupId), topics: [this.naming.topic(topic)] });
    return new Map((result?.partitions ?? []).map((p) => [p.partition, p.offset]));
  }

  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    // subscriptions finishing their batch may still dead-letter, so publishing stays open until they are done
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
    await this.batcher.flush();
    if (this.producerConnected) await this.producer.disconnect().catch(() => undefined);
    await this.pingAdmin?.disconnect().catch(() => undefined);
    const admin = this.adminConnected;
    this.adminConnected = undefined;
    if (admin) await admin.then((a) => a.disconnect()).catch(() => undefined);
  }

  private connectProducer(): Promise<void> {
    this.producerConnected ??= this.producer.connect().catch((err: unknown) => {
      this.producerConnected = undefined;
      throw err;
    });
    return this.producerConnected;
  }

  private admin(): Promise<Admin> {
    this.adminConnected ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((err: unknown) => {
      this.adminConnected = undefined;
      this.logger.warn({ err: toError(err).message }, 'bus: admin connection failed');
      throw err;
    });
    return this.adminConnected;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the bus is closed');
  }
}
