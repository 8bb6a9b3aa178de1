import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentBusContext } from '../bus/bus-context';
import { newId } from '../ids';

/** The HTTP header (and Kafka header) that carries the correlation id. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

const SAFE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const RESOLVED = Symbol('switchboard.correlationId');

type WithCorrelation = IncomingMessage & { [RESOLVED]?: string };

/** A caller-supplied id is kept only when it is short and plain (no log injection). */
export function acceptCorrelationId(value: unknown): string | undefined {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && SAFE_ID.test(candidate) ? candidate : undefined;
}

/**
 * The request's correlation id: the `x-correlation-id` header when it is acceptable, else a new
 * id. Echoed in the response header. Stable for one request whoever asks first (the pino-http
 * middleware or the correlation middleware).
 */
export function correlationIdFor(req: IncomingMessage, res: ServerResponse): string {
  const request = req as WithCorrelation;
  const existing = request[RESOLVED];
  if (existing) return existing;
  const id = acceptCorrelationId(req.headers[CORRELATION_ID_HEADER]) ?? newId();
  request[RESOLVED] = id;
  if (!res.headersSent) res.setHeader(CORRELATION_ID_HEADER, id);
  return id;
}

/** The correlation id of the HTTP request / bus message being handled, if any. */
export function currentCorrelationId(): string | undefined {
  return currentBusContext()?.correlationId;
}
