import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withBusContext } from '../bus/bus-context';
import { correlationIdFor } from './correlation-id';

/**
 * Runs each HTTP request inside its correlation context (the bus's AsyncLocalStorage), so what the
 * request publishes carries its `x-correlation-id` and `traceparent` in the message headers.
 */
@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const traceparent = req.headers.traceparent;
    const correlationId = correlationIdFor(req, res);
    withBusContext(
      typeof traceparent === 'string' ? { correlationId, traceparent } : { correlationId },
      next,
    );
  }
}
