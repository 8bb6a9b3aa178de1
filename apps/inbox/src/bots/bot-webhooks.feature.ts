import type { Provider } from '@nestjs/common';
import { INBOX_DOMAIN_OPTIONS, type InboxDomainOptions } from '../inbox-domain.options';
import { BotInboundService } from './bot-inbound.service';
import { BotTimeoutSweeper } from './bot-timeout.sweeper';
import { BotWebhookDeliveryRepository } from './bot-webhook-delivery.repository';
import { BOT_WEBHOOK_OPTIONS, DEFAULT_BOT_WEBHOOK_OPTIONS } from './bot-webhook-options';
import { BotWebhookQueue } from './bot-webhook-queue.service';
import { BotWebhookDispatcher } from './bot-webhook.dispatcher';
import { BotWebhookSender } from './bot-webhook.sender';

/**
 * Bot webhooks and automatic handoff: what a bot must hear of a customer's message (decided by
 * ingestion, in its transaction), the durable delivery queue and its dispatcher, the bot-timeout sweep. Spread into the InboxDomainModule (which provides the database,
 * the bus, routing and the conversation services).
 */
export const BotWebhooksFeature: { providers: Provider[] } = {
  providers: [
    {
      provide: BOT_WEBHOOK_OPTIONS,
      useFactory: (options: InboxDomainOptions) => options.botWebhooks ?? DEFAULT_BOT_WEBHOOK_OPTIONS,
      inject: [INBOX_DOMAIN_OPTIONS],
    },
    BotWebhookDeliveryRepository,
    BotWebhookQueue,
    BotWebhookSender,
    BotWebhookDispatcher,
    BotTimeoutSweeper,
    BotInboundService,
  ],
};
