import { DomainError, DomainErrorOptions } from './domain-error';

/** 413: the body or an attachment exceeds a limit. */
export class PayloadTooLargeError extends DomainError {
  override readonly name: string = 'PayloadTooLargeError';

  constructor(message = 'Payload too large', options: DomainErrorOptions = {}) {
    super(options.code ?? 'PAYLOAD_TOO_LARGE', message, 413, options.details, options);
  }
}
