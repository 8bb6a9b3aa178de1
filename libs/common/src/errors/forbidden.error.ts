import { DomainError, DomainErrorOptions } from './domain-error';

/** 403: authenticated, but not allowed to do this. */
export class ForbiddenError extends DomainError {
  override readonly name: string = 'ForbiddenError';

  constructor(message = 'Forbidden', options: DomainErrorOptions = {}) {
    super(options.code ?? 'FORBIDDEN', message, 403, options.details, options);
  }
}
