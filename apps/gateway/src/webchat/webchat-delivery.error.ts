/** Why a message could not be handed to a visitor's sockets. */
export class WebchatDeliveryError extends Error {
  override readonly name = 'WebchatDeliveryError';

  constructor(
    readonly reason: 'INBOX_STOPPED' | 'MESSAGE_INVALID' | 'FANOUT_UNAVAILABLE',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
