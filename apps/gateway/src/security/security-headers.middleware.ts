import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

type Handler = (req: Request, res: Response, next: NextFunction) => void;

/**
 * helmet on every response. The widget script must load on other origins (Cross-Origin-Resource-
 * Policy cross-origin on it); the console and the API docs get a CSP that allows their own inline
 * bootstrap only where swagger-ui needs it.
 */
@Injectable()
export class SecurityHeadersMiddleware implements NestMiddleware {
  private readonly strict: Handler = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  }) as Handler;
  private readonly docs: Handler = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  }) as Handler;
  private readonly crossOrigin: Handler = helmet({
    contentSecurityPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  }) as Handler;

  use(req: Request, res: Response, next: NextFunction): void {
    const path = req.originalUrl.split('?')[0];
    if (path === '/widget.js' || path.startsWith('/webchat/')) return this.crossOrigin(req, res, next);
    if (path.startsWith('/api/docs')) return this.docs(req, res, next);
    return this.strict(req, res, next);
  }
}
