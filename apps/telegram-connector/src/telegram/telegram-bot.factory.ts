import { autoRetry } from '@grammyjs/auto-retry';
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';

export interface TelegramBotOptions {
  apiRoot: string;
  /** skips getMe when known */
  botInfo?: UserFromGetMe;
  /** 429s with a retry_after up to this many seconds are waited out in place */
  maxRetryAfterSeconds: number;
  /** attempts after the first for 429 / 5xx / network failures */
  maxRetryAttempts?: number;
}

/**
 * A grammY Bot pointed at `apiRoot` (api.telegram.org, a self-hosted Bot API server or the test
 * fake) with the auto-retry transformer: 429 waits retry_after, 5xx and network errors back off;
 * what is still failing after that is classified for the host.
 */
export function createTelegramBot(token: string, options: TelegramBotOptions): Bot {
  const bot = new Bot(token, { client: { apiRoot: options.apiRoot }, ...(options.botInfo ? { botInfo: options.botInfo } : {}) });
  bot.api.config.use(autoRetry({ maxRetryAttempts: options.maxRetryAttempts ?? 3, maxDelaySeconds: options.maxRetryAfterSeconds }));
  return bot;
}
