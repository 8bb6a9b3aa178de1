import { DomainError, DomainErrorOptions } from './domain-error';

/** 422: a valid request for an action the current state does not allow. */
export class UnprocessableError extends DomainError {
  override readonly name: string = 'UnprocessableError';

  constructor(message = 'The request cannot be carried out', options: DomainErrorOptions = {}) {
    super(options.code ?? 'UNPROCESSABLE', message, 422, options.details, options);
  }
}
