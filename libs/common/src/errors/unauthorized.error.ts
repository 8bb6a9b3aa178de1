import { DomainError, DomainErrorOptions } from './domain-error';

/** 401: no valid credentials. */
export class UnauthorizedError extends DomainError {
  override readonly name: string = 'UnauthorizedError';

  constructor(message = 'Authentication required', options: DomainErrorOptions = {}) {
    super(options.code ?? 'UNAUTHORIZED', message, 401, options.details, options);
  }
}
