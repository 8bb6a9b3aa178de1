import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MetricsService } from './metrics.service';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** Times every HTTP request into http_request_duration_seconds, labelled by route pattern (not raw URL). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observeHttp(
        req.method ?? 'UNKNOWN',
        routeOf(req as RoutedRequest),
        res.statusCode,
        seconds,
      );
    });
    next();
  }
}

function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  // unmatched URLs share one label so that scanners cannot blow up the label cardinality
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}
