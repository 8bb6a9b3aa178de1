import type { BusHeaders } from '@switchboard/common';

/** A record for the outbox: published by the relay to `topic` with `key`, in id order per key. */
export interface OutboxRecord {
  topic: string;
  key: string;
  /** the serialized CloudEvent */
  value: string;
  headers: BusHeaders;
}

/** A record the event factory built: it knows its CloudEvent's id. */
export interface OutboxEvent extends OutboxRecord {
  eventId: string;
}

/** A record read back by the relay. */
export interface StoredOutboxRecord extends OutboxRecord {
  id: string;
}
