import { DomainError } from '@switchboard/common';

/** Why a webhook request was not accepted, with the HTTP status Telegram gets (non-2xx → it delivers again). */
export const TelegramWebhookErrorStatus = {
  INBOX_NOT_SERVED: 404,
  WEBHOOK_SECRET_MISMATCH: 401,
  UPDATE_NOT_ACKNOWLEDGED: 503,
} as const;
export type TelegramWebhookErrorCode = keyof typeof TelegramWebhookErrorStatus;

export class TelegramWebhookError extends DomainError {
  override readonly name = 'TelegramWebhookError';

  constructor(
    override readonly code: TelegramWebhookErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, TelegramWebhookErrorStatus[code], {}, options);
  }
}
