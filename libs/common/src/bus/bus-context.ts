import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { BusHeaders, BusMessage, ContextHeaders } from './bus.port';

/** What travels with a piece of work across services: HTTP request → bus message → handler → next message. */
export interface BusContext {
  correlationId: string;
  /** W3C trace context, carried as is (the bus creates no spans) */
  traceparent?: string;
}

const storage = new AsyncLocalStorage<BusContext>();

/** Runs `fn` with `ctx` as the current context; publish() copies it into the headers of what it sends. */
export function withBusContext<T>(ctx: BusContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The context of the code that is running now, if any. */
export function currentBusContext(): BusContext | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

/** The context a message carries (a new correlation id when it has none). */
export function busContextFromHeaders(headers: BusHeaders): BusContext {
  const correlationId = headers[ContextHeaders.correlationId] || newCorrelationId();
  const traceparent = headers[ContextHeaders.traceparent];
  return traceparent ? { correlationId, traceparent } : { correlationId };
}

/** Runs `fn` inside the context of `message` (batch handlers use this per message). */
export function withMessageContext<T>(message: BusMessage, fn: () => T): T {
  return withBusContext(busContextFromHeaders(message.headers), fn);
}

/**
 * The headers to send: the caller's own, plus the current context's correlation id and traceparent
 * where the caller did not set them (a fresh correlation id when there is no context at all).
 */
export function headersWithContext(headers: BusHeaders | undefined, ctx = currentBusContext()): BusHeaders {
  const out: BusHeaders = { ...headers };
  if (!out[ContextHeaders.correlationId]) {
    out[ContextHeaders.correlationId] = ctx?.correlationId ?? newCorrelationId();
  }
  if (!out[ContextHeaders.traceparent] && ctx?.traceparent) {
    out[ContextHeaders.traceparent] = ctx.traceparent;
  }
  return out;
}
