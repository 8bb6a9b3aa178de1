import { z } from 'zod';
import { currentBusContext } from '../bus/bus-context';
import { BusHeaders, ContextHeaders, NonRetryableError } from '../bus/bus.port';
import { CloudEvent, cloudEventSchema } from './envelope';
import { EventData, eventContract, EventType, isEventType } from './registry';

/** Kafka headers set on every encoded event (CloudEvents Kafka binding names for type and id). */
export const EventHeaders = {
  type: 'ce_type',
  id: 'ce_id',
  source: 'ce_source',
  contentType: 'content-type',
  correlationId: ContextHeaders.correlationId,
  traceparent: ContextHeaders.traceparent,
} as const;

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

/** An event that does not parse or does not fit its contract. Never retried: it goes to the DLQ. */
export class InvalidEventError extends NonRetryableError {
  constructor(
    readonly reason: string,
    /** dotted path of the first failing field (`data.sender.externalId`), when one is at fault */
    readonly field?: string,
  ) {
    super(reason);
  }
}

/** A registered event whose `data` has been validated (defaults applied). */
export type DecodedEvent<T extends EventType = EventType> = {
  [K in T]: CloudEvent<EventData<K>> & { type: K };
}[T];

/** A record ready for MessageBus.publish (plus the topic the registry names for it). */
export interface EncodedEvent {
  topic: string;
  key: string;
  value: string;
  headers: BusHeaders;
}

/** The record as a consumer has it (BusMessage fits). */
export interface EncodedRecord {
  value: Buffer | string | null;
  headers?: BusHeaders;
}

function describeIssues(issues: z.ZodIssue[], prefix: string): { reason: string; field?: string } {
  const parts = issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    const message =
      issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message;
    const text = !path ? message : /^[a-z]/.test(message) ? `${path} ${message}` : `${path}: ${message}`;
    return { path, text };
  });
  return { reason: parts.map((part) => part.text).join('; '), field: parts[0]?.path || undefined };
}

function validate(json: unknown, allowedTypes?: readonly string[]): DecodedEvent {
  const envelope = cloudEventSchema.safeParse(json);
  if (!envelope.success) {
    const { reason, field } = describeIssues(envelope.error.issues, '');
    throw new InvalidEventError(`not a valid CloudEvent: ${reason}`, field);
  }
  const { type } = envelope.data;
  if (!isEventType(type)) throw new InvalidEventError(`unknown event type ${type}`, 'type');
  if (allowedTypes && !allowedTypes.includes(type)) {
    throw new InvalidEventError(
      `event type ${type} is not accepted here (expected ${allowedTypes.join(' or ')})`,
      'type',
    );
  }
  const data = eventContract(type).schema.safeParse(envelope.data.data);
  if (!data.success) {
    const { reason, field } = describeIssues(data.error.issues, 'data');
    throw new InvalidEventError(`invalid ${type}: ${reason}`, field);
  }
  return { ...envelope.data, data: data.data } as DecodedEvent;
}

/**
 * Validates an event against its contract and gives the record to publish: JSON value, the key
 * and topic from the registry, and headers `ce_type`, `ce_id`, `ce_source`, `content-type`,
 * `x-correlation-id` and `traceparent` (taken from the event, else from the current HTTP request /
 * bus message, and written into the envelope too). Throws InvalidEventError when the event does
 * not fit: a producer bug, caught before anything is published.
 */
export function encodeEvent(event: CloudEvent<unknown>): EncodedEvent {
  const context = currentBusContext();
  const complete = {
    ...event,
    correlationid: event.correlationid ?? context?.correlationId,
    traceparent: event.traceparent ?? context?.traceparent,
  };
  const decoded = validate(complete);
  const contract = eventContract(decoded.type);
  const headers: BusHeaders = {
    [EventHeaders.type]: decoded.type,
    [EventHeaders.id]: decoded.id,
    [EventHeaders.source]: decoded.source,
    [EventHeaders.contentType]: CLOUDEVENTS_CONTENT_TYPE,
  };
  if (complete.correlationid) headers[EventHeaders.correlationId] = complete.correlationid;
  if (complete.traceparent) headers[EventHeaders.traceparent] = complete.traceparent;
  return {
    topic: contract.topic(decoded.data),
    key: contract.key(decoded.data),
    // the producer's data as given (defaults are the consumer's to apply), envelope completed
    value: JSON.stringify(complete),
    headers,
  };
}

/**
 * Parses and validates a record: JSON, CloudEvents envelope, a registered type (one of
 * `allowedTypes` when given), and its data schema. Anything else throws InvalidEventError (a
 * NonRetryableError) whose reason names the failing field, e.g.
 * `invalid switchboard.inbound.message.v1: data.sender.externalId is required`.
 */
export function decodeEvent<T extends EventType = EventType>(
  record: EncodedRecord,
  allowedTypes?: readonly T[],
): DecodedEvent<T> {
  if (record.value === null || record.value.length === 0) {
    throw new InvalidEventError('empty value (a tombstone is not an event)');
  }
  const text = typeof record.value === 'string' ? record.value : record.value.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidEventError(
      `value is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const headerType = record.headers?.[EventHeaders.type];
  const decoded = validate(json, allowedTypes) as DecodedEvent<T>;
  if (headerType && headerType !== decoded.type) {
    throw new InvalidEventError(
      `header ce_type ${headerType} does not match the event type ${decoded.type}`,
      'type',
    );
  }
  return decoded;
}

/** true for a record without a value (a compaction tombstone). */
export function isTombstone(record: EncodedRecord): boolean {
  return record.value === null || record.value.length === 0;
}
