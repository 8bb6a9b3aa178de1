import { withMessageContext } from '../bus-context';
import { BatchHandler, BusLogger, BusMessage, MessageHandler, RetryPolicy } from '../bus.port';
import { DeliveryFailure, isNonRetryable, nextOffset, toError } from './dead-letter';
import { backoffDelayMs } from './retry-policy';

/** One fetched run of consecutive messages of one topic-partition, and what the adapter offers around it. */
export interface PartitionRun {
  /** in offset order, all of one topic-partition */
  messages: BusMessage[];
  /** false once the consumer stops or loses the partition: the handler in hand finishes, nothing new starts */
  isActive(): boolean;
  /** records `offset` as the next one to read for this partition and commits it */
  commit(offset: string): Promise<void>;
  /** keeps group membership alive; may throw when the group is rebalancing (the adapter then rejoins) */
  heartbeat(): Promise<void>;
}

export interface PartitionProcessorOptions {
  /** the consumer group as the subscriber named it (for the DLQ headers) */
  groupId: string;
  eachMessage?: MessageHandler;
  eachBatch?: BatchHandler;
  retry: RetryPolicy;
  maxBatchSize: number;
  /** publishes a message to the DLQ; a rejection leaves the message uncommitted */
  deadLetter(message: BusMessage, failure: DeliveryFailure): Promise<void>;
  logger: BusLogger;
  /** while a handler runs, heartbeat this often (0: never) */
  heartbeatIntervalMs: number;
}

export interface PartitionRunResult {
  /** messages handled or dead-lettered, and committed, from the start of the run */
  finished: number;
  /** the run ended early because the consumer stopped or lost the partition */
  interrupted: boolean;
}

type AttemptOutcome = { kind: 'ok' } | { kind: 'failed'; failure: DeliveryFailure } | { kind: 'interrupted' };

const INTERRUPT_POLL_MS = 25;

/**
 * The delivery rules both adapters share: chunks of ≤ maxBatchSize consecutive messages go to the batch
 * handler (or messages one by one to the message handler); a failure is retried with exponential backoff;
 * a batch that keeps failing is handled one message at a time, so that only the poison message goes to
 * the DLQ; a NonRetryableError goes to the DLQ at once. An offset is committed only once everything
 * before it was handled or dead-lettered, so a partition never blocks and nothing is skipped.
 *
 * Message handlers (and a batch handler given a single message) run inside the message's BusContext;
 * a batch handler wraps its per-message work in `withMessageContext` itself.
 */
export class PartitionProcessor {
  constructor(private readonly options: PartitionProcessorOptions) {
    if (!options.eachBatch && !options.eachMessage) {
      throw new Error('subscribe: eachMessage or eachBatch is required');
    }
    if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1) {
      throw new Error(`maxBatchSize must be an integer >= 1, got ${options.maxBatchSize}`);
    }
  }

  async process(run: PartitionRun): Promise<PartitionRunResult> {
    const progress = new RunProgress(run);
    let interrupted = false;
    try {
      interrupted = await this.deliverAll(run, progress);
    } catch (err) {
      // e.g. a rebalance surfaced by heartbeat(): keep what succeeded, then let the adapter react
      await progress.flush().catch(() => undefined);
      throw err;
    }
    await progress.flush();
    return { finished: progress.finished, interrupted };
  }

  /** @returns true when interrupted */
  private async deliverAll(run: PartitionRun, progress: RunProgress): Promise<boolean> {
    const { messages } = run;
    const { eachBatch, maxBatchSize } = this.options;
    while (progress.finished < messages.length) {
      if (!run.isActive()) return true;
      const interrupted = eachBatch
        ? await this.deliverChunk(run, messages.slice(progress.finished, progress.finished + maxBatchSize), progress)
        : await this.deliverOne(run, messages[progress.finished], progress);
      if (interrupted) return true;
      if (eachBatch || progress.uncommitted >= maxBatchSize) await progress.flush();
      await run.heartbeat();
    }
    return false;
  }

  /** @returns true when interrupted */
  private async deliverChunk(run: PartitionRun, chunk: BusMessage[], progress: RunProgress): Promise<boolean> {
    const eachBatch = this.options.eachBatch as BatchHandler;
    if (chunk.length === 1) return this.deliverOne(run, chunk[0], progress);
    const outcome = await this.attempt(run, chunk[0], progress, () => eachBatch(chunk));
    if (outcome.kind === 'interrupted') return true;
    if (outcome.kind === 'ok') {
      progress.done(chunk[chunk.length - 1], chunk.length);
      return false;
    }
    this.options.logger.warn(
      { ...where(chunk[0]), size: chunk.length, attempts: outcome.failure.attempts, err: outcome.failure.error.message },
      'bus: batch keeps failing, handling its messages one at a time',
    );
    for (const message of chunk) {
      if (!run.isActive()) return true;
      if (await this.deliverOne(run, message, progress)) return true;
    }
    return false;
  }

  /** @returns true when interrupted */
  private async deliverOne(run: PartitionRun, message: BusMessage, progress: RunProgress): Promise<boolean> {
    const { eachMessage, eachBatch } = this.options;
    const handle = eachMessage ? () => eachMessage(message) : () => (eachBatch as BatchHandler)([message]);
    const outcome = await this.attempt(run, message, progress, () => withMessageContext(message, handle));
    if (outcome.kind === 'interrupted') return true;
    if (outcome.kind === 'failed') {
      const { error, attempts } = outcome.failure;
      this.options.logger.error(
        { ...where(message), attempts, err: error.message, errName: error.name },
        'bus: message sent to the DLQ',
      );
      await withMessageContext(message, () => this.options.deadLetter(message, outcome.failure));
      progress.done(message, 1);
      await progress.flush();
      return false;
    }
    progress.done(message, 1);
    return false;
  }

  /** Runs `fn` until it succeeds, fails for good, or the run is interrupted during a backoff. */
  private async attempt(run: PartitionRun, first: BusMessage, progress: RunProgress, fn: () => Promise<void>): Promise<AttemptOutcome> {
    const { retry, logger } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.keepingAlive(run, fn);
        return { kind: 'ok' };
      } catch (thrown) {
        const error = toError(thrown);
        if (isNonRetryable(error) || attempt >= retry.maxAttempts) {
          return { kind: 'failed', failure: { error, attempts: attempt } };
        }
        const delay = backoffDelayMs(retry, attempt);
        logger.warn({ ...where(first), attempt, retryInMs: delay, err: error.message }, 'bus: handler failed, retrying');
        // what succeeded before this message is safe to commit while we wait
        await progress.flush();
        if (!run.isActive()) return { kind: 'interrupted' };
        await run.heartbeat();
        if (!(await sleepWhileActive(run, delay))) return { kind: 'interrupted' };
      }
    }
  }

  /** Heartbeats on a timer while a (possibly slow) handler runs; errors there surface at the next checkpoint. */
  private async keepingAlive(run: PartitionRun, fn: () => Promise<void>): Promise<void> {
    const interval = this.options.heartbeatIntervalMs;
    if (interval <= 0) return fn();
    const timer = setInterval(() => {
      run.heartbeat().catch((err: unknown) => this.options.logger.debug({ err: toError(err).message }, 'bus: heartbeat failed'));
    }, interval);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
    }
  }
}

/** How far a run got, and the offset not committed yet. */
class RunProgress {
  finished = 0;
  uncommitted = 0;
  private pending: string | undefined;

  constructor(private readonly run: PartitionRun) {}

  done(last: BusMessage, count: number): void {
    this.finished += count;
    this.uncommitted += count;
    this.pending = nextOffset(last.offset);
  }

  async flush(): Promise<void> {
    const offset = this.pending;
    if (offset === undefined) return;
    this.pending = undefined;
    this.uncommitted = 0;
    await this.run.commit(offset);
  }
}

function where(message: BusMessage): Record<string, unknown> {
  return { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key };
}

/** Sleeps `ms`; returns false as soon as the run stops being active. */
async function sleepWhileActive(run: PartitionRun, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!run.isActive()) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(INTERRUPT_POLL_MS, until - Date.now())));
  }
  return run.isActive();
}
