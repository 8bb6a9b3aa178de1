import { DomainError, DomainErrorOptions } from './domain-error';

/** 429: too many requests; the edge sends `Retry-After: <retryAfterSeconds>`. */
export class RateLimitedError extends DomainError {
  override readonly name: string = 'RateLimitedError';

  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests',
    options: DomainErrorOptions = {},
  ) {
    super(options.code ?? 'RATE_LIMITED', message, 429, { ...options.details, retryAfterSeconds }, options);
  }
}
