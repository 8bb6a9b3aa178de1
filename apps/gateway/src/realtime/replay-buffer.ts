import type { OperatorEvent } from './operator-event';

/** Events from other partitions received this long before the last one seen are replayed too (orders differ per instance). */
const CROSS_PARTITION_SLACK_MS = 5_000;
const CROSS_PARTITION_LOOKBACK = 512;

/**
 * The last `capacity` events this instance received, in the order it received them, for sockets
 * that reconnect with `lastEventId`. Every instance consumes every event, so the id is found on
 * any of them while it is recent; per-partition order is the same everywhere, but the interleaving
 * of partitions may differ, so events of other partitions from shortly before the last one seen
 * are replayed as well (clients skip event ids they already have).
 */
export class ReplayBuffer {
  private readonly entries: Array<OperatorEvent | undefined>;
  private readonly seqById = new Map<string, number>();
  private nextSeq = 0;

  constructor(readonly capacity: number) {
    this.entries = new Array<OperatorEvent | undefined>(capacity);
  }

  push(event: OperatorEvent): void {
    if (this.seqById.has(event.id)) return; // a redelivery
    const slot = this.nextSeq % this.capacity;
    const evicted = this.entries[slot];
    if (evicted) this.seqById.delete(evicted.id);
    this.entries[slot] = event;
    this.seqById.set(event.id, this.nextSeq);
    this.nextSeq += 1;
  }

  get size(): number {
    return Math.min(this.nextSeq, this.capacity);
  }

  /** what came after `lastEventId`, or undefined when it is unknown here (too old, or never seen): a gap */
  since(lastEventId: string): OperatorEvent[] | undefined {
    const seq = this.seqById.get(lastEventId);
    if (seq === undefined) return undefined;
    const last = this.at(seq);
    if (!last) return undefined;
    const out: OperatorEvent[] = [];
    const oldest = Math.max(this.nextSeq - this.capacity, seq - CROSS_PARTITION_LOOKBACK);
    for (let s = oldest; s < seq; s += 1) {
      const event = this.at(s);
      if (
        event &&
        event.partition !== last.partition &&
        event.timestamp >= last.timestamp - CROSS_PARTITION_SLACK_MS
      )
        out.push(event);
    }
    for (let s = seq + 1; s < this.nextSeq; s += 1) {
      const event = this.at(s);
      if (event) out.push(event);
    }
    return out;
  }

  private at(seq: number): OperatorEvent | undefined {
    if (seq < 0 || seq < this.nextSeq - this.capacity || seq >= this.nextSeq) return undefined;
    return this.entries[seq % this.capacity];
  }
}
