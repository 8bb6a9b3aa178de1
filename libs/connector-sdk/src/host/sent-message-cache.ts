/**
 * The outbound messages this host instance sent recently: messageId → the channel's externalId,
 * least recently used evicted first. Outbound delivery is at-least-once (a redelivered record, a
 * rebalance, a crash before the commit), so the host checks here before sending and, for a
 * message it already sent, publishes the `sent` receipt again instead of sending twice. The
 * receipt can therefore repeat; the inbox treats receipts idempotently. The cache is per process:
 * a duplicate that lands on another instance, or arrives after a restart or after eviction, is
 * sent again (channels without an idempotency key of their own cannot do better).
 */
export class SentMessageCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`invalid SentMessageCache capacity: ${capacity}`);
  }

  get(messageId: string): string | undefined {
    const externalId = this.entries.get(messageId);
    if (externalId !== undefined) {
      this.entries.delete(messageId);
      this.entries.set(messageId, externalId);
    }
    return externalId;
  }

  remember(messageId: string, externalId: string): void {
    this.entries.delete(messageId);
    this.entries.set(messageId, externalId);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
