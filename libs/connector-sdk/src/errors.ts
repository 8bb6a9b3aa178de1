/**
 * Typed connector failures. The host maps each code to what happens next:
 * TEMPORARY / RATE_LIMITED → retry with backoff (RATE_LIMITED waits retryAfterMs);
 * AUTH_INVALID → the inbox is marked as needing new credentials, no retry loop;
 * PERMISSION / NOT_FOUND / UNSUPPORTED → failed permanently with the reason;
 * INVALID_PAYLOAD → the DLQ with the reason.
 */
export const ConnectorErrorCodes = [
  'TEMPORARY',
  'RATE_LIMITED',
  'AUTH_INVALID',
  'PERMISSION',
  'NOT_FOUND',
  'INVALID_PAYLOAD',
  'UNSUPPORTED',
] as const;
export type ConnectorErrorCode = (typeof ConnectorErrorCodes)[number];

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';

  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly options: { retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }

  get retryable(): boolean {
    return this.code === 'TEMPORARY' || this.code === 'RATE_LIMITED';
  }

  static is(error: unknown): error is ConnectorError {
    return error instanceof ConnectorError;
  }
}
