import { DomainError, DomainErrorOptions } from './domain-error';

export interface FieldProblem {
  /** dotted path of the field ('' for the whole body), e.g. `recipient.email`, `attachments.0.size` */
  path: string;
  message: string;
  /** zod's issue code when it came from zod */
  code?: string;
}

/** 400: the input does not have the expected shape; `details.fields` says which fields and why. */
export class ValidationFailedError extends DomainError {
  override readonly name: string = 'ValidationFailedError';

  constructor(
    readonly fields: FieldProblem[],
    options: DomainErrorOptions & { message?: string } = {},
  ) {
    super(
      options.code ?? 'VALIDATION_FAILED',
      options.message ?? ValidationFailedError.describe(fields),
      400,
      { ...options.details, fields },
      options,
    );
  }

  static describe(fields: FieldProblem[]): string {
    if (fields.length === 0) return 'Invalid input';
    const shown = fields.slice(0, 5).map((field) => `${field.path || 'body'}: ${field.message}`);
    const more = fields.length > shown.length ? `; and ${fields.length - shown.length} more` : '';
    return `Invalid input: ${shown.join('; ')}${more}`;
  }
}
