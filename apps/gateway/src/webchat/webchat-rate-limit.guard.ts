import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/common';
import { RateLimitedError } from '@switchboard/common/errors';
import type { Request } from 'express';
import type { GatewayConfig } from '../gateway.config';
import { clientAddress } from '../security/client-address';
import { FixedWindowRateLimiter } from '../security/fixed-window.rate-limiter';

/** The public web chat endpoints: PUBLIC_RATE_LIMIT_PER_MINUTE per client address (429 + Retry-After). */
@Injectable()
export class WebchatRateLimitGuard implements CanActivate {
  private readonly limiter: FixedWindowRateLimiter;

  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    this.limiter = new FixedWindowRateLimiter(config.PUBLIC_RATE_LIMIT_PER_MINUTE, 60_000);
  }

  canActivate(context: ExecutionContext): boolean {
    const decision = this.limiter.hit(clientAddress(context.switchToHttp().getRequest<Request>()));
    if (!decision.allowed)
      throw new RateLimitedError(decision.retryAfterSeconds, 'Too many requests; slow down');
    return true;
  }
}
