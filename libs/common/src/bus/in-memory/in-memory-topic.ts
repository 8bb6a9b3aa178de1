import { BusMessage } from '../bus.port';
import { Signal } from './signal';

interface PartitionLog {
  /** in offset order; offsets are sparse once old records were dropped or compacted away */
  records: BusMessage[];
  next: number;
}

/**
 * A topic's partitions as append-only logs; `appended` wakes the consumers waiting for more. Like a
 * broker's retention, a plain topic keeps about `retention` records per partition (dropping its oldest),
 * and a compacted one, once it has that many, is compacted to the latest record of each key.
 */
export class InMemoryTopic {
  readonly appended = new Signal();
  private readonly logs: PartitionLog[];

  constructor(
    /** the unprefixed name consumers see */
    readonly name: string,
    partitionCount: number,
    readonly compacted: boolean,
    private readonly retention = 100_000,
  ) {
    if (!Number.isInteger(partitionCount) || partitionCount < 1) throw new Error(`partitions must be an integer >= 1, got ${partitionCount}`);
    this.logs = Array.from({ length: partitionCount }, () => ({ records: [], next: 0 }));
  }

  get partitionCount(): number {
    return this.logs.length;
  }

  append(partition: number, record: Omit<BusMessage, 'offset' | 'partition' | 'topic'>): BusMessage {
    const log = this.logs[partition];
    const message: BusMessage = { ...record, topic: this.name, partition, offset: String(log.next++) };
    log.records.push(message);
    if (log.records.length > this.retention * 1.1) this.trim(log);
    return message;
  }

  /** Up to `max` records from offset `from` on (from the oldest one kept when `from` is gone). */
  read(partition: number, from: number, max: number): BusMessage[] {
    const { records } = this.logs[partition];
    let low = 0;
    let high = records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (Number(records[mid].offset) < from) low = mid + 1;
      else high = mid;
    }
    return records.slice(low, low + max);
  }

  endOffset(partition: number): number {
    return this.logs[partition].next;
  }

  private trim(log: PartitionLog): void {
    if (this.compacted) {
      const latest = new Map<string, BusMessage>();
      for (const record of log.records) {
        latest.delete(record.key);
        latest.set(record.key, record);
      }
      log.records = [...latest.values()].sort((a, b) => Number(a.offset) - Number(b.offset));
    } else {
      log.records.splice(0, log.records.length - this.retention);
    }
  }
}
