import { DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { TelegramConnectorConfig } from '../telegram-connector.config';
import { TELEGRAM_CONFIG, TELEGRAM_LOGGER, TelegramConnectorRuntime } from './telegram-connector.runtime';
import { TelegramWebhookController } from './telegram-webhook.controller';
import { TelegramWebhookRegistry } from './telegram-webhook.registry';

/** The Telegram channel: the connector in its host, and the webhook endpoint. */
@Module({})
export class TelegramModule {
  static forRoot(config: TelegramConnectorConfig, logger: Logger): DynamicModule {
    return {
      module: TelegramModule,
      controllers: [TelegramWebhookController],
      providers: [
        { provide: TELEGRAM_CONFIG, useValue: config },
        { provide: TELEGRAM_LOGGER, useValue: logger },
        { provide: TelegramWebhookRegistry, useValue: new TelegramWebhookRegistry() },
        TelegramConnectorRuntime,
      ],
      exports: [TelegramConnectorRuntime],
    };
  }
}
