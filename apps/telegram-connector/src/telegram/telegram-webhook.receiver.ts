import { randomBytes } from 'node:crypto';
import { GrammyError } from 'grammy';
import type { Bot } from 'grammy';
import { ConnectorError, ConnectorLogger } from '@switchboard/connector-sdk';
import { classifyTelegramError } from './telegram-error.classifier';
import type { TelegramUpdateProcessor } from './telegram-update.processor';
import type { TelegramWebhookEndpoint, TelegramWebhookRegistry } from './telegram-webhook.registry';
import { TELEGRAM_ALLOWED_UPDATES } from './telegram.types';

/** the chat an update belongs to (updates without one share a queue) */
function chatKeyOf(update: unknown): string {
  const body = update as { message?: { chat?: { id?: unknown } }; edited_message?: { chat?: { id?: unknown } } } | null;
  const id = body?.message?.chat?.id ?? body?.edited_message?.chat?.id;
  return typeof id === 'number' ? String(id) : '';
}

/** runs tasks of one key one after the other (a failed task does not block the next) */
class SerialQueues {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }
}

export interface TelegramWebhookReceiverOptions {
  inboxId: string;
  url: string;
  maxConnections: number;
}

/**
 * Webhook mode: registers with the registry, then setWebhook(url, secret_token) with a fresh random
 * secret (kept in memory only; a restart sets the webhook again with a new one). Each POSTed
 * update is normalized and emitted before the HTTP answer.
 */
export class TelegramWebhookReceiver implements TelegramWebhookEndpoint {
  readonly secretToken = randomBytes(32).toString('base64url');
  private readonly chats = new SerialQueues();

  constructor(
    private readonly bot: Bot,
    private readonly processor: TelegramUpdateProcessor,
    private readonly registry: TelegramWebhookRegistry,
    private readonly logger: ConnectorLogger,
    private readonly options: TelegramWebhookReceiverOptions,
  ) {}

  async start(): Promise<void> {
    this.registry.register(this.options.inboxId, this);
    try {
      await this.bot.api.setWebhook(this.options.url, {
        secret_token: this.secretToken,
        allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
        max_connections: this.options.maxConnections,
      });
    } catch (error) {
      this.registry.unregister(this.options.inboxId, this);
      if (error instanceof GrammyError && error.error_code === 400) {
        // e.g. "bad webhook: An HTTPS URL must be provided for webhook" (Telegram wants https on 443, 80, 88 or 8443)
        throw new ConnectorError('UNSUPPORTED', `Telegram refused the webhook URL ${this.options.url}: ${error.description}`, { cause: error });
      }
      throw classifyTelegramError(error);
    }
    this.logger.info('telegram webhook set', { url: this.options.url });
  }

  /**
   * Telegram opens up to max_connections requests at once, so two messages of one chat can be in
   * flight together; they are emitted one after the other, in the order they arrived, so the
   * conversation's events keep their order on Kafka. Different chats run in parallel.
   */
  handle(update: unknown): Promise<void> {
    return this.chats.run(chatKeyOf(update), () => this.processor.process([update]));
  }

  /**
   * Leaves the registry (later requests get 404 and Telegram retries them); the webhook stays set
   * at Telegram so nothing is lost while the inbox restarts. Switching to polling deletes it.
   */
  async stop(): Promise<void> {
    this.registry.unregister(this.options.inboxId, this);
  }
}
