import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConversationHandoff } from '../conversations/conversation-handoff';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import { BotWebhookDeliveryRepository } from './bot-webhook-delivery.repository';
import { BOT_WEBHOOK_OPTIONS, type BotWebhookOptions } from './bot-webhook-options';

const SWEEP_LIMIT = 100;

/**
 * A silent bot never strands a customer: every few seconds, conversations in `bot` whose customer
 * message got no bot message within the inbox's botTimeoutSeconds are handed off (reason
 * bot_timeout). Safe with several instances: each candidate is locked and re-checked in its own
 * transaction, so only one instance hands it off.
 */
@Injectable()
export class BotTimeoutSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BotTimeoutSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly deliveries: BotWebhookDeliveryRepository,
    private readonly handoffs: ConversationHandoff,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
    @Inject(BOT_WEBHOOK_OPTIONS) private readonly options: BotWebhookOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.timeoutSweepMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.running && !this.stopped) {
        this.running = this.sweep()
          .catch((error: Error) => {
            this.logger.warn(`bot timeout sweep failed: ${error.message}`);
            return 0;
          })
          .finally(() => {
            this.running = null;
          });
      }
    }, this.options.timeoutSweepMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** @returns how many conversations were handed off */
  async sweep(): Promise<number> {
    const candidates = await this.db.run((sql) => this.deliveries.silentBotConversations(sql, SWEEP_LIMIT));
    let handedOff = 0;
    for (const id of candidates) {
      if (this.stopped) break;
      const done = await this.db.transaction(async (sql) => {
        // lock first, then re-check under the lock: another instance or the bot may have been quicker
        if (!(await this.deliveries.lockIfWithBot(sql, id)) || (await this.deliveries.silentBotConversations(sql, 1, id)).length === 0) return false;
        return this.handoffs.automatic(sql, id, 'bot_timeout', 'The bot did not answer the customer in time');
      });
      if (done) handedOff += 1;
    }
    if (handedOff > 0) this.routing.capacityChanged(null);
    return handedOff;
  }
}
