import { createHash, timingSafeEqual } from 'node:crypto';
import { ConnectorError } from '@switchboard/connector-sdk';
import { TelegramWebhookError } from './telegram-webhook.error';

/** A running webhook-mode inbox, as the registry sees it. */
export interface TelegramWebhookEndpoint {
  /** the secret_token given to setWebhook */
  readonly secretToken: string;
  /** resolves once the update is acknowledged by Kafka (or dead-lettered) */
  handle(update: unknown): Promise<void>;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Which inbox answers `POST /telegram/<inboxId>/webhook`: webhook sessions register here when
 * they start and leave when they stop. The controller calls `dispatch`, which checks
 * `X-Telegram-Bot-Api-Secret-Token` in constant time and resolves only after the event was
 * acknowledged, so the HTTP answer tells Telegram the truth (non-2xx → it delivers again).
 */
export class TelegramWebhookRegistry {
  private readonly endpoints = new Map<string, TelegramWebhookEndpoint>();

  register(inboxId: string, endpoint: TelegramWebhookEndpoint): void {
    this.endpoints.set(inboxId, endpoint);
  }

  /** removes the endpoint if it is still the registered one (a restarted session may have replaced it) */
  unregister(inboxId: string, endpoint: TelegramWebhookEndpoint): void {
    if (this.endpoints.get(inboxId) === endpoint) this.endpoints.delete(inboxId);
  }

  get size(): number {
    return this.endpoints.size;
  }

  async dispatch(inboxId: string, secretToken: string | undefined, update: unknown): Promise<void> {
    const endpoint = this.endpoints.get(inboxId);
    if (!endpoint) throw new TelegramWebhookError('INBOX_NOT_SERVED', 'no telegram inbox in webhook mode is served here under this id');
    if (typeof secretToken !== 'string' || !timingSafeEqual(digest(secretToken), digest(endpoint.secretToken))) {
      throw new TelegramWebhookError('WEBHOOK_SECRET_MISMATCH', 'missing or wrong X-Telegram-Bot-Api-Secret-Token');
    }
    try {
      await endpoint.handle(update);
    } catch (error) {
      const reason = ConnectorError.is(error) ? `${error.code}: ${error.message}` : 'internal error';
      throw new TelegramWebhookError('UPDATE_NOT_ACKNOWLEDGED', `the update was not stored (${reason}); Telegram will deliver it again`, { cause: error });
    }
  }
}
