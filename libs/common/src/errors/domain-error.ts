export type ErrorDetails = Record<string, unknown>;

export interface DomainErrorOptions {
  /** overrides the class's default code, e.g. CONVERSATION_NOT_FOUND */
  code?: string;
  details?: ErrorDetails;
  cause?: unknown;
}

/**
 * An expected failure of the domain, with a stable machine-readable `code` (UPPER_SNAKE), the HTTP
 * `status` the edge answers with and structured `details`. Controllers let it through (the
 * HttpErrorFilter renders `{error:{code,message,details}}`); consumers map it to retry or DLQ.
 */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  readonly details: ErrorDetails;

  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    details: ErrorDetails = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = details;
  }
}
