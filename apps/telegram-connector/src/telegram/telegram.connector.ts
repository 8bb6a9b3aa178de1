import { createHash } from 'node:crypto';
import type { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { BlobStore, InboundMessageInput } from '@switchboard/common';
import { ChannelConnector, ConnectorError, InboxContext, InboxRuntimeConfig } from '@switchboard/connector-sdk';
import { createTelegramBot } from './telegram-bot.factory';
import { classifyTelegramError } from './telegram-error.classifier';
import { TelegramFileFetcher } from './telegram-file.fetcher';
import { TelegramInboxSession } from './telegram-inbox.session';
import { TelegramOutboundSender } from './telegram-outbound.sender';
import { TelegramPollingReceiver } from './telegram-polling.receiver';
import { TelegramUpdateMapper } from './telegram-update.mapper';
import { TelegramUpdateProcessor } from './telegram-update.processor';
import { TelegramWebhookReceiver } from './telegram-webhook.receiver';
import type { TelegramWebhookRegistry } from './telegram-webhook.registry';
import { TELEGRAM_MAX_DOWNLOAD_BYTES, telegramManifest, TelegramSettings } from './telegram.manifest';

export interface TelegramConnectorOptions {
  /** the Bot API server (TELEGRAM_API_ROOT; https://api.telegram.org) unless an inbox sets its own */
  apiRoot: string;
  /** public base URL under which Telegram reaches `/telegram/<inboxId>/webhook` (needed for webhook mode) */
  publicUrl?: string;
  /** getUpdates long-poll timeout, seconds */
  pollTimeoutSeconds: number;
  /** attachments larger than this are refused (the Bot API serves at most 20 MB) */
  maxAttachmentBytes: number;
  /** a 429 whose retry_after is at most this is waited out in place; longer ones go back to the host as RATE_LIMITED */
  maxRetryAfterSeconds: number;
  /** simultaneous webhook connections Telegram may open (setWebhook max_connections) */
  webhookMaxConnections: number;
}

/**
 * The Telegram channel on grammY. One `Bot` per inbox, pointed at `client.apiRoot` (so tests and
 * self-hosted Bot API servers work) and given `botInfo` when known (no getMe on restarts). The
 * API carries the auto-retry transformer: 429 retry_after, 5xx and network failures are retried
 * a few times before the error is classified for the host.
 */
export class TelegramConnector implements ChannelConnector<TelegramSettings, unknown> {
  readonly manifest = telegramManifest;
  private readonly botInfo = new Map<string, UserFromGetMe>();

  constructor(
    private readonly options: TelegramConnectorOptions,
    private readonly webhooks: TelegramWebhookRegistry,
  ) {}

  async start(config: InboxRuntimeConfig<TelegramSettings>, context: InboxContext): Promise<TelegramInboxSession> {
    const token = this.token(config);
    const apiRoot = this.apiRoot(config);
    const bot = this.createBot(token, apiRoot);
    if (!bot.isInited()) {
      try {
        await bot.init();
      } catch (error) {
        throw classifyTelegramError(error);
      }
      this.botInfo.set(this.cacheKey(token, apiRoot), bot.botInfo);
    }
    const processor = new TelegramUpdateProcessor(this.mapper(config, bot, apiRoot, token), context);
    const sender = new TelegramOutboundSender(bot.api, context.blobs);
    const mode = config.settings.mode;
    if (mode === 'webhook') {
      if (!this.options.publicUrl) {
        throw new ConnectorError('UNSUPPORTED', 'webhook mode needs PUBLIC_URL (the address Telegram can reach); set it or use mode "polling"');
      }
      const receiver = new TelegramWebhookReceiver(bot, processor, this.webhooks, context.logger, {
        inboxId: config.inboxId,
        url: `${this.options.publicUrl.replace(/\/+$/, '')}/telegram/${encodeURIComponent(config.inboxId)}/webhook`,
        maxConnections: this.options.webhookMaxConnections,
      });
      await receiver.start();
      context.logger.info('telegram inbox started', { mode, bot: bot.botInfo.username });
      return new TelegramInboxSession(mode, receiver, sender);
    }
    const receiver = new TelegramPollingReceiver(bot, processor, context, { timeoutSeconds: this.options.pollTimeoutSeconds });
    await receiver.start();
    context.logger.info('telegram inbox started', { mode, bot: bot.botInfo.username });
    return new TelegramInboxSession(mode, receiver, sender);
  }

  async normalize(raw: unknown, config: InboxRuntimeConfig<TelegramSettings>, blobs: BlobStore): Promise<InboundMessageInput[]> {
    const token = this.token(config);
    const apiRoot = this.apiRoot(config);
    const mapped = await this.mapper(config, this.createBot(token, apiRoot), apiRoot, token).map(raw, blobs);
    return mapped.kind === 'message' ? [mapped.message] : [];
  }

  classifyError(error: unknown): ConnectorError {
    return classifyTelegramError(error);
  }

  private mapper(config: InboxRuntimeConfig<TelegramSettings>, bot: Bot, apiRoot: string, token: string): TelegramUpdateMapper {
    const maxBytes = Math.min(this.options.maxAttachmentBytes, TELEGRAM_MAX_DOWNLOAD_BYTES);
    return new TelegramUpdateMapper({
      inboxId: config.inboxId,
      channelType: this.manifest.channelType,
      allowGroups: config.settings.allowGroups === true,
      files: new TelegramFileFetcher(bot.api, apiRoot, token, maxBytes),
    });
  }

  private createBot(token: string, apiRoot: string): Bot {
    return createTelegramBot(token, { apiRoot, botInfo: this.botInfo.get(this.cacheKey(token, apiRoot)), maxRetryAfterSeconds: this.options.maxRetryAfterSeconds });
  }

  private token(config: InboxRuntimeConfig<TelegramSettings>): string {
    const token = config.secrets.botToken;
    if (!token || token.trim().length === 0) throw new ConnectorError('AUTH_INVALID', 'the inbox has no botToken');
    return token.trim();
  }

  private apiRoot(config: InboxRuntimeConfig<TelegramSettings>): string {
    return (config.settings.apiRoot ?? this.options.apiRoot).replace(/\/+$/, '');
  }

  /** botInfo is cached per (token, server) without keeping the token itself as a key */
  private cacheKey(token: string, apiRoot: string): string {
    return createHash('sha256').update(`${apiRoot}\u0000${token}`).digest('hex');
  }
}
