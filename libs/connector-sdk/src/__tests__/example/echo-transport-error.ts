/** A transport failure of the echo "vendor" API, the way an HTTP client or a socket reports one. */
export class EchoTransportError extends Error {
  override readonly name = 'EchoTransportError';

  constructor(
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number; code?: string } = {},
  ) {
    super(message);
  }
}
