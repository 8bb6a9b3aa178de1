import { BusLogger, Subscription } from '../bus.port';
import { toError } from '../delivery/dead-letter';
import { PartitionProcessor } from '../delivery/partition-processor';
import { InMemoryConsumerGroup, InMemoryGroupMember } from './in-memory-consumer-group';
import { InMemoryTopic } from './in-memory-topic';
import { Semaphore } from './semaphore';

const FETCH_MAX = 1000;
const ERROR_PAUSE_MS = 500;

interface PartitionWorker {
  topic: InMemoryTopic;
  partition: number;
  active: boolean;
  release(): void;
  finished: Promise<void>;
}

export interface InMemorySubscriptionDeps {
  group: InMemoryConsumerGroup;
  topics: InMemoryTopic[];
  processor: PartitionProcessor;
  fromBeginning: boolean;
  partitionsConsumedConcurrently: number;
  logger: BusLogger;
  onEnded(subscription: InMemorySubscription): void;
}

/** One consumer of a group: a worker per owned partition, at most `partitionsConsumedConcurrently` busy at once. */
export class InMemorySubscription implements Subscription, InMemoryGroupMember {
  private state: 'running' | 'stopping' | 'stopped' | 'killed' = 'running';
  private readonly workers = new Map<string, PartitionWorker>();
  private readonly slots: Semaphore;
  private stopped?: Promise<void>;

  constructor(private readonly deps: InMemorySubscriptionDeps) {
    this.slots = new Semaphore(deps.partitionsConsumedConcurrently);
  }

  get topics(): readonly InMemoryTopic[] {
    return this.deps.topics;
  }

  /** the partitions this consumer owns now, as `topic#partition` */
  get assignment(): string[] {
    return [...this.workers.keys()];
  }

  assign(partitions: ReadonlyArray<{ topic: InMemoryTopic; partition: number }>): void {
    const wanted = new Set(partitions.map(({ topic, partition }) => `${topic.name}#${partition}`));
    for (const [key, worker] of this.workers) {
      if (!wanted.has(key)) {
        worker.active = false;
        this.workers.delete(key);
        worker.topic.appended.notify();
      }
    }
    if (this.state !== 'running') return;
    for (const { topic, partition } of partitions) {
      const key = `${topic.name}#${partition}`;
      if (!this.workers.has(key)) this.workers.set(key, this.startWorker(topic, partition));
    }
  }

  /** Finishes the batch in hand, commits it, leaves the group. */
  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = (async () => {
        if (this.state === 'killed') return;
        this.state = 'stopping';
        const workers = this.deactivateAll();
        this.deps.group.leave(this);
        await Promise.all(workers.map((w) => w.finished));
        this.state = 'stopped';
        this.deps.onEnded(this);
      })();
    }
    return this.stopped;
  }

  /**
   * Simulates a crash: from now on nothing this consumer does is committed, its partitions go to the other
   * members at once, and the handler in hand is not waited for.
   */
  kill(): void {
    if (this.state === 'killed' || this.state === 'stopped') return;
    this.state = 'killed';
    for (const worker of this.deactivateAll()) worker.release();
    this.deps.group.leave(this);
    this.deps.onEnded(this);
  }

  private deactivateAll(): PartitionWorker[] {
    const workers = [...this.workers.values()];
    this.workers.clear();
    for (const worker of workers) {
      worker.active = false;
      worker.topic.appended.notify();
    }
    return workers;
  }

  private isActive(worker: PartitionWorker): boolean {
    return worker.active && this.state === 'running';
  }

  private startWorker(topic: InMemoryTopic, partition: number): PartitionWorker {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previousOwner = this.deps.group.handOver(topic.name, partition, released);
    const worker: PartitionWorker = { topic, partition, active: true, release, finished: Promise.resolve() };
    worker.finished = (async () => {
      try {
        await previousOwner;
        await this.consume(worker);
      } catch (err) {
        this.deps.logger.error({ topic: topic.name, partition, err: toError(err).message }, 'bus: in-memory partition worker failed');
      } finally {
        release();
      }
    })();
    return worker;
  }

  private async consume(worker: PartitionWorker): Promise<void> {
    const { topic, partition } = worker;
    const { group, processor, fromBeginning, logger } = this.deps;
    let position: number | undefined;
    while (this.isActive(worker)) {
      position ??= group.committedOffset(topic.name, partition) ?? (fromBeginning ? 0 : topic.endOffset(partition));
      const messages = topic.read(partition, position, FETCH_MAX);
      if (messages.length === 0) {
        await topic.appended.wait();
        continue;
      }
      const releaseSlot = await this.slots.acquire();
      let failed = false;
      try {
        if (!this.isActive(worker)) break;
        const result = await processor.process({
          messages,
          isActive: () => this.isActive(worker),
          commit: async (offset) => {
            if (this.state !== 'killed') group.commit(topic.name, partition, Number(offset));
          },
          heartbeat: async () => undefined,
        });
        if (result.finished > 0) position = Number(messages[result.finished - 1].offset) + 1;
      } catch (err) {
        logger.error({ topic: topic.name, partition, err: toError(err).message }, 'bus: delivery failed, resuming from the committed offset');
        position = undefined;
        failed = true;
      } finally {
        releaseSlot();
      }
      if (failed) await pauseWhileActive(() => this.isActive(worker), ERROR_PAUSE_MS);
      // let timers and I/O run between batches, as a network fetch would
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

async function pauseWhileActive(isActive: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (isActive() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
}
