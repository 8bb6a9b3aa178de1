/**
 * The bus: one contract, two adapters (Kafka on kafkajs, and in-process).
 *
 * Semantics both adapters keep (the bus contract suite proves them):
 * - messages with the same key land on the same partition and are handled in order;
 * - at-least-once: a message's offset is committed only after its handler succeeded for it;
 * - a failing handler is retried with backoff up to `maxAttempts`; then the message goes to the
 *   DLQ topic with the error and its original headers, and the partition moves on;
 * - a consumer that stops (or is killed) mid-batch loses nothing: on restart the group resumes at
 *   the first uncommitted message;
 * - several consumers in one group split the partitions.
 */

export type BusHeaders = Record<string, string>;

/** The few log calls the bus makes; pino's logger fits as is. The adapters are silent without one. */
export interface BusLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options both adapters take. */
export interface BusOptions {
  /** prepended to every topic name and consumer group id (tests use a unique one per file) */
  topicPrefix?: string;
  /** partitions of topics created without an explicit count (default 6) */
  defaultPartitions?: number;
  logger?: BusLogger;
}

/** A record to publish. `value` is serialized as JSON unless it is a Buffer or string. */
export interface OutgoingMessage {
  key: string;
  value: unknown;
  headers?: BusHeaders;
}

/** A message as a consumer receives it. */
export interface BusMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  /** the raw bytes */
  value: Buffer;
  headers: BusHeaders;
  /** ms since epoch when the producer wrote it */
  timestamp: number;
}

export interface TopicSpec {
  topic: string;
  /** defaults to the bus's configured partition count */
  partitions?: number;
  compacted?: boolean;
}

export interface RetryPolicy {
  /** handler attempts before the DLQ (>= 1) */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** Handle one message. Throw to have it retried, then dead-lettered. */
export type MessageHandler = (message: BusMessage) => Promise<void>;

/**
 * Handle a run of consecutive messages of one partition together (e.g. one DB transaction).
 * When it throws, the adapter retries the batch; when the retries are spent it falls back to
 * handling the messages one at a time (`eachMessage` if given, else the batch handler with a
 * single message) so that only the poison message reaches the DLQ.
 */
export type BatchHandler = (messages: BusMessage[]) => Promise<void>;

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** per-message handler; required unless `eachBatch` is given */
  eachMessage?: MessageHandler;
  /** batch handler; takes precedence over eachMessage for the happy path */
  eachBatch?: BatchHandler;
  /** start at the earliest offset when the group has none committed (default true) */
  fromBeginning?: boolean;
  retry?: Partial<RetryPolicy>;
  /** where poison messages go (default inbox.dlq.v1) */
  dlqTopic?: string;
  /** partitions handled concurrently by this consumer (default 1) */
  partitionsConsumedConcurrently?: number;
  /** max messages handed to eachBatch at once (default 500) */
  maxBatchSize?: number;
  /** Kafka only (ignored in-process): consumer session timeout (kafkajs default 30000) */
  sessionTimeoutMs?: number;
  /** Kafka only: how long the group waits for members to rejoin on a rebalance (kafkajs default 60000) */
  rebalanceTimeoutMs?: number;
  /** Kafka only: heartbeat interval, well below sessionTimeoutMs (kafkajs default 3000) */
  heartbeatIntervalMs?: number;
  /** Kafka only: longest a fetch waits for data before returning empty (default 1000) */
  maxWaitTimeMs?: number;
}

export interface Subscription {
  /** stops fetching, lets the batch in hand finish, commits, leaves the group */
  stop(): Promise<void>;
}

export interface MessageBus {
  /** create topics that do not exist yet (idempotent) */
  ensureTopics(specs: TopicSpec[]): Promise<void>;
  /** resolves once every record is acknowledged by the broker (acks=all for Kafka) */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** true when the broker answers */
  ping(): Promise<boolean>;
  /** stops every subscription and the producer */
  close(): Promise<void>;
}

/** Headers the bus adds to dead-lettered messages. */
export const DlqHeaders = {
  error: 'x-dlq-error',
  errorName: 'x-dlq-error-name',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  consumerGroup: 'x-dlq-consumer-group',
  attempts: 'x-dlq-attempts',
  failedAt: 'x-dlq-failed-at',
} as const;

/** Headers that carry context across services. */
export const ContextHeaders = {
  correlationId: 'x-correlation-id',
  traceparent: 'traceparent',
} as const;

/** A handler error that must not be retried (goes to the DLQ at once). */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}
