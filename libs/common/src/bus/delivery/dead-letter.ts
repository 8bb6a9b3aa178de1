import { BusHeaders, BusMessage, DlqHeaders, NonRetryableError, OutgoingMessage } from '../bus.port';

const MAX_ERROR_LENGTH = 2000;

export interface DeliveryFailure {
  error: Error;
  attempts: number;
}

/** The DLQ record of a message: its key, its bytes, its headers, plus why and where it failed. */
export function deadLetterRecord(message: BusMessage, failure: DeliveryFailure, groupId: string, now = new Date()): OutgoingMessage {
  const headers: BusHeaders = {
    ...message.headers,
    [DlqHeaders.error]: failure.error.message.slice(0, MAX_ERROR_LENGTH),
    [DlqHeaders.errorName]: failure.error.name,
    [DlqHeaders.originalTopic]: message.topic,
    [DlqHeaders.originalPartition]: String(message.partition),
    [DlqHeaders.originalOffset]: message.offset,
    [DlqHeaders.consumerGroup]: groupId,
    [DlqHeaders.attempts]: String(failure.attempts),
    [DlqHeaders.failedAt]: now.toISOString(),
  };
  return { key: message.key, value: message.value, headers };
}

/** Whatever a handler threw, as an Error (Nest's RPC layer may hand over plain objects). */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown && typeof thrown.message === 'string') {
    return new Error(thrown.message);
  }
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown) ?? String(thrown));
}

export function isNonRetryable(error: Error): boolean {
  return error instanceof NonRetryableError || error.name === 'NonRetryableError';
}

/** The offset after `offset` (what Kafka calls the committed position). */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
