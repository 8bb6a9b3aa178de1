import { Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';
import { BusHeaders, BusLogger, BusMessage, Subscription } from '../bus.port';
import { toError } from '../delivery/dead-letter';
import { PartitionProcessor } from '../delivery/partition-processor';
import { TopicNaming } from '../topic-naming';

export interface KafkaSubscriptionDeps {
  consumer: Consumer;
  naming: TopicNaming;
  processor: PartitionProcessor;
  logger: BusLogger;
  onEnded(subscription: KafkaSubscription): void;
}

type CommitFn = EachBatchPayload['commitOffsetsIfNecessary'];

interface PendingCommit {
  topic: string;
  partition: number;
  offset: string;
  commit: CommitFn;
}

/**
 * One kafkajs consumer on `eachBatch` with manual commits; each partition batch goes through the
 * PartitionProcessor. Offsets are committed in the background, at most one OffsetCommit in flight and
 * always the latest offset of each partition, so handling does not wait for the coordinator; only
 * offsets whose messages were handled (or dead-lettered) are ever committed, and stop() waits for the
 * last commit before the consumer leaves its group.
 */
export class KafkaSubscription implements Subscription {
  private stopping = false;
  private killed = false;
  private stopped?: Promise<void>;
  private readonly pending = new Map<string, PendingCommit>();
  private committing?: Promise<void>;

  constructor(private readonly deps: KafkaSubscriptionDeps) {}

  /** the kafkajs consumer underneath (tests use it to disconnect it abruptly) */
  get consumer(): Consumer {
    return this.deps.consumer;
  }

  /** Stops fetching, lets the batch in hand finish and commits it, leaves the group, disconnects. */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopping = true;
      this.stopped = this.settleCommits()
        .then(() => this.deps.consumer.disconnect())
        .catch((err: unknown) => this.deps.logger.warn({ err: toError(err).message }, 'bus: consumer disconnect failed'))
        .finally(() => this.deps.onEnded(this));
    }
    return this.stopped;
  }

  /**
   * Simulates a crash for tests: from now on nothing is committed (the handler in hand may still finish,
   * as in a process that dies after its side effect), and the consumer leaves the group.
   */
  kill(): Promise<void> {
    this.killed = true;
    this.pending.clear();
    return this.stop();
  }

  async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale } = payload;
    const topic = this.deps.naming.unprefixed(batch.topic);
    const messages = batch.messages.map((m) => toBusMessage(topic, batch.partition, m));
    try {
      await this.deps.processor.process({
        messages,
        isActive: () => !this.stopping && !this.killed && isRunning() && !isStale(),
        commit: async (offset) => {
          if (this.killed) return;
          resolveOffset((BigInt(offset) - 1n).toString());
          this.commitSoon({ topic: batch.topic, partition: batch.partition, offset, commit: commitOffsetsIfNecessary });
        },
        heartbeat,
      });
    } finally {
      // the consumer leaves its group once this returns: what was handled must be committed by then
      if (this.stopping || !isRunning()) await this.settleCommits();
    }
  }

  private commitSoon(entry: PendingCommit): void {
    this.pending.set(`${entry.topic}#${entry.partition}`, entry);
    this.startDraining();
  }

  private startDraining(): void {
    if (this.committing) return;
    this.committing = this.drainCommits().finally(() => {
      this.committing = undefined;
      // an offset may have come in between the last loop and now
      if (this.pending.size && !this.killed) this.startDraining();
    });
  }

  private async drainCommits(): Promise<void> {
    while (this.pending.size && !this.killed) {
      const entries = [...this.pending.values()];
      this.pending.clear();
      const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
      for (const { topic, partition, offset } of entries) byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partition, offset }]);
      try {
        // the latest batch's function: it commits with the consumer's current group generation
        await entries[entries.length - 1].commit({ topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
      } catch (err) {
        // e.g. a rebalance: the messages will be delivered again (at least once), nothing is lost
        this.deps.logger.warn({ err: toError(err).message, offsets: entries.map((e) => `${e.topic}#${e.partition}@${e.offset}`) }, 'bus: offset commit failed');
      }
    }
  }

  private async settleCommits(): Promise<void> {
    while (this.committing) await this.committing;
  }
}

function toBusMessage(topic: string, partition: number, m: KafkaMessage): BusMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString('utf8') : '',
    value: m.value ?? Buffer.alloc(0),
    headers: toBusHeaders(m.headers),
    timestamp: Number(m.timestamp),
  };
}

function toBusHeaders(headers: IHeaders | undefined): BusHeaders {
  const out: BusHeaders = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) out[name] = value.toString();
  }
  return out;
}
