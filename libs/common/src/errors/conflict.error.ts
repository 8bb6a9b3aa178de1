import { DomainError, DomainErrorOptions } from './domain-error';

/** 409: the request collides with the current state (a duplicate, a newer message: COLLISION). */
export class ConflictError extends DomainError {
  override readonly name: string = 'ConflictError';

  constructor(message = 'Conflict', options: DomainErrorOptions = {}) {
    super(options.code ?? 'CONFLICT', message, 409, options.details, options);
  }
}
