import { randomUUID } from 'node:crypto';
import {
  BusMessage,
  CONNECTOR_OFFSET_TYPE,
  connectorOffsetSchema,
  decodeEvent,
  EventHeaders,
  isTombstone,
  MessageBus,
  newEvent,
  Subscription,
  Topics,
} from '@switchboard/common';
import { partitionForKey } from '@switchboard/common/bus/partitioner';
import { z } from 'zod';
import type { ConnectorLogger, OffsetPosition } from '../connector';
import { ConnectorError } from '../errors';
import { decodeEnvelope } from './event-codec';
import { record } from './host-inbox-context';

/**
 * A marker a host writes to connector.offsets.v1 to learn that its reader has caught up. Only
 * hosts read this topic; they skip records of other types and of other connectors.
 */
export const CONNECTOR_OFFSET_BARRIER_TYPE = 'switchboard.connector.offset_barrier.v1';

const barrierSchema = z.object({ connector: z.string(), instanceId: z.string(), nonce: z.string() });

export interface ConnectorOffsetStoreOptions {
  bus: MessageBus;
  connectorId: string;
  /** unique per process run (ConnectorHost.runId): the reader's consumer group is `<connectorId>-offsets-<instanceId>` */
  instanceId: string;
  /** CloudEvents source of what the store writes */
  source: string;
  logger: ConnectorLogger;
  /** the largest partition count of connector.offsets.v1 the start barrier covers (default 64) */
  maxPartitions?: number;
  /** how long read() waits for the reader to catch up before failing with TEMPORARY (default 60 s) */
  catchUpTimeoutMs?: number;
}

const barrierKeyCache = new Map<string, string[]>();

/**
 * Keys `<connectorId>:~barrier:<j>` such that, for every partition count n up to `maxPartitions`,
 * Kafka's default partitioner puts at least one of them on each of the n partitions. They are the
 * same for every start of a connector, so compaction keeps only these few records.
 */
export function barrierKeys(connectorId: string, maxPartitions: number): string[] {
  const cacheKey = `${connectorId}\u0000${maxPartitions}`;
  const cached = barrierKeyCache.get(cacheKey);
  if (cached) return cached;
  const uncovered = new Set<string>();
  for (let n = 1; n <= maxPartitions; n++) for (let r = 0; r < n; r++) uncovered.add(`${n}/${r}`);
  const keys: string[] = [];
  for (let j = 0; uncovered.size > 0; j++) {
    const key = `${connectorId}:~barrier:${j}`;
    let useful = false;
    for (let n = 1; n <= maxPartitions; n++)
      useful = uncovered.delete(`${n}/${partitionForKey(key, n)}`) || useful;
    if (useful) keys.push(key);
  }
  barrierKeyCache.set(cacheKey, keys);
  return keys;
}

/**
 * The connector's source cursors, kept in the compacted topic connector.offsets.v1 under
 * `<connectorId>:<inboxId>` (the way Kafka Connect keeps source offsets).
 *
 * Reading: a consumer with a group of its own replays the topic from the beginning into a map.
 * To know when that replay has reached the end of the topic (the bus has no "end offsets" call),
 * start() writes a barrier record on every partition — fixed keys chosen with Kafka's default
 * partitioner to cover each partition of any topic of up to `maxPartitions` — tagged with a
 * nonce of this run; read() waits until the reader has seen all of them, so it returns the latest
 * committed position, never an older one. The partitions the barriers land on are checked
 * against the partitioner afterwards (a warning is logged when they do not match).
 *
 * Writing: commit() resolves once the broker acknowledged the record; the position is kept as
 * this instance's own latest and wins over what the reader replays (which may lag behind).
 */
export class ConnectorOffsetStore {
  private readonly consumed = new Map<string, OffsetPosition>();
  private readonly own = new Map<string, OffsetPosition>();
  private readonly keyPrefix: string;
  private readonly nonce = randomUUID();
  private readonly keys: string[];
  private readonly keySet: ReadonlySet<string>;
  private readonly pending: Set<string>;
  private readonly barrierPartitions = new Map<string, number>();
  private readonly caughtUp: Promise<void>;
  private markCaughtUp!: () => void;
  private subscription: Subscription | undefined;

  constructor(private readonly options: ConnectorOffsetStoreOptions) {
    this.keyPrefix = `${options.connectorId}:`;
    this.keys = barrierKeys(options.connectorId, options.maxPartitions ?? 64);
    this.keySet = new Set(this.keys);
    this.pending = new Set(this.keys);
    this.caughtUp = new Promise<void>((resolve) => {
      this.markCaughtUp = resolve;
    });
  }

  get isCaughtUp(): boolean {
    return this.pending.size === 0;
  }

  async start(): Promise<void> {
    const { bus, connectorId, instanceId } = this.options;
    this.subscription = await bus.subscribe({
      groupId: `${connectorId}-offsets-${instanceId}`,
      topics: [Topics.connectorOffsets],
      fromBeginning: true,
      eachMessage: async (message) => this.onRecord(message),
    });
    const data = { connector: connectorId, instanceId, nonce: this.nonce };
    await bus.publish(
      Topics.connectorOffsets,
      this.keys.map((key) => ({
        key,
        value: newEvent(CONNECTOR_OFFSET_BARRIER_TYPE, this.options.source, data),
        headers: { [EventHeaders.type]: CONNECTOR_OFFSET_BARRIER_TYPE },
      })),
    );
  }

  /** the latest position of `inboxId`, or null; waits for the reader to catch up */
  async read(inboxId: string, signal?: AbortSignal): Promise<OffsetPosition | null> {
    await this.whenCaughtUp(signal);
    return this.own.get(inboxId) ?? this.consumed.get(inboxId) ?? null;
  }

  async commit(inboxId: string, position: OffsetPosition): Promise<void> {
    const offset = connectorOffsetSchema.parse({
      connector: this.options.connectorId,
      inboxId,
      position,
      updatedAt: new Date().toISOString(),
    });
    await this.options.bus.publish(Topics.connectorOffsets, [
      record(newEvent(CONNECTOR_OFFSET_TYPE, this.options.source, offset)),
    ]);
    this.own.set(inboxId, offset.position);
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  private async whenCaughtUp(signal?: AbortSignal): Promise<void> {
    if (this.isCaughtUp) return;
    const timeoutMs = this.options.catchUpTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const failure = new Promise<never>((_resolve, reject) => {
      const fail = (why: string): void =>
        reject(new ConnectorError('TEMPORARY', `connector offsets are not loaded yet (${why})`));
      timer = setTimeout(() => fail(`waited ${timeoutMs} ms`), timeoutMs);
      onAbort = () => fail('the inbox was stopped');
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.caughtUp, failure]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  private async onRecord(message: BusMessage): Promise<void> {
    if (!message.key.startsWith(this.keyPrefix)) return;
    const inboxId = message.key.slice(this.keyPrefix.length);
    if (isTombstone(message)) {
      this.consumed.delete(inboxId);
      return;
    }
    try {
      if (
        message.headers[EventHeaders.type] === CONNECTOR_OFFSET_BARRIER_TYPE ||
        this.keySet.has(message.key)
      ) {
        this.onBarrier(message, decodeEnvelope(message, [CONNECTOR_OFFSET_BARRIER_TYPE]).data);
        return;
      }
      const { data } = decodeEvent(message, [CONNECTOR_OFFSET_TYPE]);
      if (data.connector !== this.options.connectorId || data.inboxId !== inboxId)
        throw new Error('the key does not match the record');
      this.consumed.set(inboxId, data.position);
    } catch (error) {
      this.options.logger.warn('skipping an unreadable connector offset record', { key: message.key, error });
    }
  }

  private onBarrier(message: BusMessage, data: unknown): void {
    const barrier = barrierSchema.safeParse(data);
    if (!barrier.success || barrier.data.nonce !== this.nonce || !this.pending.delete(message.key)) return;
    this.barrierPartitions.set(message.key, message.partition);
    if (this.pending.size > 0) return;
    this.checkBarrierCoverage();
    this.markCaughtUp();
  }

  /** warns when the barriers did not land where Kafka's default partitioner puts them */
  private checkBarrierCoverage(): void {
    const partitions = [...this.barrierPartitions.values()];
    const count = Math.max(...partitions) + 1;
    const mismatched = [...this.barrierPartitions].filter(
      ([key, partition]) => partitionForKey(key, count) !== partition,
    );
    if (mismatched.length > 0) {
      this.options.logger.warn(
        'connector offset barriers did not land on the partitions the default partitioner gives; read offsets may lag',
        { partitionsSeen: count, mismatched: mismatched.length },
      );
    }
  }
}
