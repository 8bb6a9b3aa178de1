import { DomainError, DomainErrorOptions } from './domain-error';

/** 404: what was asked for does not exist (or the caller may not know it does). */
export class NotFoundError extends DomainError {
  override readonly name: string = 'NotFoundError';

  constructor(message = 'Not found', options: DomainErrorOptions = {}) {
    super(options.code ?? 'NOT_FOUND', message, 404, options.details, options);
  }

  /** `NotFoundError.of('conversation', id)` → CONVERSATION_NOT_FOUND, "conversation <id> not found" */
  static of(entity: string, id?: string): NotFoundError {
    const code = `${entity
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .toUpperCase()}_NOT_FOUND`;
    return new NotFoundError(id === undefined ? `${entity} not found` : `${entity} ${id} not found`, {
      code,
      details: id === undefined ? {} : { id },
    });
  }
}
