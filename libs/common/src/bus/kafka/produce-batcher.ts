import { Message, TopicMessages } from 'kafkajs';

export interface ProduceBatcherOptions {
  /** how long a record may wait for others before a send starts (ms) */
  lingerMs: number;
  /** a send starts at once when this many records are waiting */
  maxBatchRecords: number;
  /** upper bound of the bytes (keys + values + headers) of one send */
  maxBatchBytes: number;
}

interface Pending {
  topic: string;
  records: Message[];
  bytes: number;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Coalesces concurrent publish() calls into one `sendBatch`: records wait at most `lingerMs` (or until
 * `maxBatchRecords` are waiting); while a send is in flight, new records queue up and go together in the
 * next one, so the batch grows with the load. One send in flight at a time keeps the idempotent
 * producer's per-partition order. Each caller's promise settles when its own records are acknowledged.
 */
export class ProduceBatcher {
  private queue: Pending[] = [];
  private queuedRecords = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly send: (topicMessages: TopicMessages[]) => Promise<void>,
    private readonly options: ProduceBatcherOptions,
  ) {}

  enqueue(topic: string, records: Message[]): Promise<void> {
    const parts = this.split(topic, records);
    const done = Promise.all(parts.map((part) => new Promise<void>((resolve, reject) => this.queue.push({ ...part, resolve, reject }))));
    this.queuedRecords += records.length;
    this.schedule();
    return done.then(() => undefined);
  }

  /** Sends what is queued and waits for every send in flight. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.inFlight || this.queue.length) {
      if (this.inFlight) await this.inFlight.catch(() => undefined);
      else this.sendNext();
    }
  }

  private schedule(): void {
    if (this.inFlight) return; // the end of the current send picks the queue up
    if (this.queuedRecords >= this.options.maxBatchRecords) {
      this.clearTimer();
      this.sendNext();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.sendNext();
      }, this.options.lingerMs);
    }
  }

  private sendNext(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.take();
    const byTopic = new Map<string, Message[]>();
    for (const item of batch) {
      const list = byTopic.get(item.topic);
      if (list) list.push(...item.records);
      else byTopic.set(item.topic, [...item.records]);
    }
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    this.inFlight = this.send(topicMessages).then(
      () => batch.forEach((item) => item.resolve()),
      (err: unknown) => batch.forEach((item) => item.reject(err)),
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      if (this.queue.length) {
        this.clearTimer();
        this.sendNext();
      }
    });
  }

  /** Takes queued items (whole, in order) up to the batch limits; always at least one. */
  private take(): Pending[] {
    let records = 0;
    let bytes = 0;
    let count = 0;
    for (const item of this.queue) {
      if (count > 0 && (records + item.records.length > this.options.maxBatchRecords || bytes + item.bytes > this.options.maxBatchBytes)) break;
      records += item.records.length;
      bytes += item.bytes;
      count++;
    }
    this.queuedRecords -= records;
    return this.queue.splice(0, count);
  }

  /** Splits one call's records into parts that each fit the limits. */
  private split(topic: string, records: Message[]): Array<Omit<Pending, 'resolve' | 'reject'>> {
    const parts: Array<Omit<Pending, 'resolve' | 'reject'>> = [];
    let current: Message[] = [];
    let bytes = 0;
    for (const record of records) {
      const size = recordBytes(record);
      if (current.length && (current.length >= this.options.maxBatchRecords || bytes + size > this.options.maxBatchBytes)) {
        parts.push({ topic, records: current, bytes });
        current = [];
        bytes = 0;
      }
      current.push(record);
      bytes += size;
    }
    if (current.length) parts.push({ topic, records: current, bytes });
    return parts;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function recordBytes(record: Message): number {
  let size = 64 + byteLength(record.key) + byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers ?? {})) size += name.length + byteLength(value as Buffer | string | undefined);
  return size;
}

function byteLength(value: Buffer | string | null | undefined | Array<Buffer | string>): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.reduce((sum, v) => sum + byteLength(v), 0);
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
