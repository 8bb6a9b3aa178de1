import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { WebchatInboxRegistry } from './webchat-inbox.registry';

/**
 * CORS for /webchat/v1: an origin that some web chat inbox allows gets the CORS headers (a
 * preflight names no inbox); each request is then checked against its own inbox's allowedOrigins
 * by the endpoints (403 ORIGIN_NOT_ALLOWED, readable by the page). No cookies are involved: the
 * visitor's token travels in the Authorization header.
 */
@Injectable()
export class WebchatCorsMiddleware implements NestMiddleware {
  constructor(private readonly registry: WebchatInboxRegistry) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (origin && this.registry.allowsAnywhere(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-File-Name');
        res.setHeader('Access-Control-Max-Age', '600');
      }
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  }
}
