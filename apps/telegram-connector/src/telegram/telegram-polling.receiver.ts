import type { Api, Bot } from 'grammy';
import { GrammyError } from 'grammy';
import type { InboxContext } from '@switchboard/connector-sdk';
import { classifyTelegramError } from './telegram-error.classifier';
import type { TelegramUpdateProcessor } from './telegram-update.processor';
import { TELEGRAM_ALLOWED_UPDATES } from './telegram.types';

/** grammY types its signal with the abort-controller polyfill; a standard AbortSignal works at runtime */
type GrammySignal = Parameters<Api['getUpdates']>[1];

export interface TelegramPollingReceiverOptions {
  /** getUpdates long-poll timeout in seconds (Telegram allows up to 50) */
  timeoutSeconds: number;
  /** ceiling of the backoff after failures */
  maxBackoffMs?: number;
  /** how long stop() waits for an emit in progress */
  stopGraceMs?: number;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Long-polling mode. The position is the last update_id whose events Kafka acknowledged, kept in
 * connector.offsets.v1 as `{updateId}`. getUpdates is always called with `offset = updateId + 1`,
 * so Telegram forgets an update only after its event is stored; a crash between receiving and
 * acknowledging re-reads the same updates (same externalIds) on restart.
 */
export class TelegramPollingReceiver {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private lastUpdateId: number | undefined;

  constructor(
    private readonly bot: Bot,
    private readonly processor: TelegramUpdateProcessor,
    private readonly context: Pick<InboxContext, 'readOffset' | 'commitOffset' | 'reportStatus' | 'logger' | 'signal'>,
    private readonly options: TelegramPollingReceiverOptions,
  ) {}

  async start(): Promise<void> {
    try {
      // Telegram refuses getUpdates while a webhook is set (webhook → polling switch)
      await this.bot.api.deleteWebhook({ drop_pending_updates: false });
    } catch (error) {
      throw classifyTelegramError(error);
    }
    const stored = await this.context.readOffset();
    this.lastUpdateId = typeof stored?.updateId === 'number' ? stored.updateId : undefined;
    this.context.signal.addEventListener('abort', () => this.abort.abort(), { once: true });
    this.context.logger.info('telegram long polling started', { resumeAfterUpdateId: this.lastUpdateId ?? null });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (!this.loop) return;
    const grace = new Promise<void>((resolve) => setTimeout(resolve, this.options.stopGraceMs ?? 15_000).unref());
    await Promise.race([this.loop, grace]);
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    let backoff = 500;
    while (!this.stopped) {
      try {
        const updates = await this.bot.api.getUpdates(
          {
            ...(this.lastUpdateId !== undefined ? { offset: this.lastUpdateId + 1 } : {}),
            timeout: this.options.timeoutSeconds,
            allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
          },
          this.abort.signal as unknown as GrammySignal,
        );
        if (this.stopped) break; // received but not acknowledged: Telegram keeps them for the next session
        if (updates.length > 0) {
          await this.processor.process(updates);
          const last = updates[updates.length - 1].update_id;
          await this.context.commitOffset({ updateId: last });
          this.lastUpdateId = last;
        }
        backoff = 500;
      } catch (error) {
        if (this.stopped) break;
        const classified = classifyTelegramError(error);
        if (classified.code === 'AUTH_INVALID') {
          this.context.logger.error('telegram rejected the bot token; polling stopped', { reason: classified.message });
          await this.context.reportStatus('needs_credentials', classified.message).catch(() => undefined);
          break;
        }
        if (error instanceof GrammyError && error.error_code === 409 && /webhook is active/i.test(error.description)) {
          this.context.logger.warn('a webhook was set for this bot while polling; deleting it');
          await this.bot.api.deleteWebhook({ drop_pending_updates: false }).catch(() => undefined);
          continue;
        }
        const delay = classified.code === 'RATE_LIMITED' ? (classified.options.retryAfterMs ?? backoff) : backoff;
        this.context.logger.warn('telegram polling failed; retrying', { code: classified.code, reason: classified.message, retryInMs: delay });
        await pause(delay, this.abort.signal);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }
}
