import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/common';
import { RateLimitedError } from '@switchboard/common/errors';
import type { GatewayConfig } from '../gateway.config';
import { FixedWindowRateLimiter } from '../security/fixed-window.rate-limiter';

/**
 * Login attempts: LOGIN_MAX_ATTEMPTS per email and address per window, and five times that per
 * address (one address trying many emails). Refreshes: generous, per address. 429 + Retry-After.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perAccount: FixedWindowRateLimiter;
  private readonly perAddress: FixedWindowRateLimiter;
  private readonly refreshes: FixedWindowRateLimiter;

  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    const windowMs = config.LOGIN_WINDOW_SECONDS * 1000;
    this.perAccount = new FixedWindowRateLimiter(config.LOGIN_MAX_ATTEMPTS, windowMs);
    this.perAddress = new FixedWindowRateLimiter(config.LOGIN_MAX_ATTEMPTS * 5, windowMs);
    this.refreshes = new FixedWindowRateLimiter(config.LOGIN_MAX_ATTEMPTS * 10, windowMs);
  }

  checkLogin(address: string, email: string): void {
    const account = this.perAccount.hit(`${address}|${email.trim().toLowerCase()}`);
    const whole = this.perAddress.hit(address);
    for (const decision of [account, whole]) {
      if (!decision.allowed)
        throw new RateLimitedError(decision.retryAfterSeconds, 'Too many login attempts; try again later', {
          code: 'LOGIN_RATE_LIMITED',
        });
    }
  }

  checkRefresh(address: string): void {
    const decision = this.refreshes.hit(address);
    if (!decision.allowed)
      throw new RateLimitedError(decision.retryAfterSeconds, 'Too many token refreshes; try again later');
  }
}
