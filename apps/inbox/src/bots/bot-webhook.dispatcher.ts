import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CoalescingRunner, type EncryptedSecret } from '@switchboard/common';
import { SecretBox } from '@switchboard/common/crypto';
import { ConversationHandoff } from '../conversations/conversation-handoff';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import { BotWebhookDeliveryRepository, type ClaimedDelivery } from './bot-webhook-delivery.repository';
import { BOT_WEBHOOK_OPTIONS, retryDelayMs, type BotWebhookOptions } from './bot-webhook-options';
import { BotWebhookSender } from './bot-webhook.sender';

/** deliveries one instance POSTs at once */
const CLAIM_BATCH = 16;
/** how long a claimed delivery stays with its instance beyond the POST's own time limit */
const LEASE_SLACK_MS = 30_000;

/**
 * Delivers the bot webhook queue. Any number of inbox instances run it: a delivery is claimed for one
 * attempt (FOR UPDATE SKIP LOCKED, then leased), re-checked (the conversation must still be with
 * that bot, else `dropped`: after a handoff the bot gets nothing), POSTed, then `delivered`, or
 * rescheduled with exponential backoff; after the last attempt it is `failed` and the conversation is
 * handed off automatically (reason bot_webhook_failed) and routed.
 */
@Injectable()
export class BotWebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BotWebhookDispatcher.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly drain = new CoalescingRunner(
    async () => {
      while (!this.drain.isStopped && (await this.drainOnce()) === CLAIM_BATCH);
    },
    (error) => this.logger.warn(`bot webhook drain failed: ${error.message}`),
  );

  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly deliveries: BotWebhookDeliveryRepository,
    private readonly sender: BotWebhookSender,
    private readonly handoffs: ConversationHandoff,
    private readonly secretBox: SecretBox,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
    @Inject(BOT_WEBHOOK_OPTIONS) private readonly options: BotWebhookOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.drain.stop();
  }

  /** there may be due deliveries: drain now (or once more after the running drain) */
  wake(): void {
    this.drain.request();
  }

  /** resolves when no drain is running */
  idle(): Promise<void> {
    return this.drain.idle();
  }

  /** @returns how many deliveries were claimed */
  private async drainOnce(): Promise<number> {
    const claimed = await this.db.transaction((sql) => this.deliveries.claimDue(sql.prepared(), CLAIM_BATCH, this.options.requestTimeoutMs + LEASE_SLACK_MS));
    const gone = claimed.filter((delivery) => !delivery.stillWithBot);
    if (gone.length > 0) {
      await this.db.run((sql) => this.deliveries.markDropped(sql, gone.map((delivery) => delivery.id), 'the conversation is no longer with this bot'));
    }
    const results = await Promise.allSettled(claimed.filter((delivery) => delivery.stillWithBot).map((delivery) => this.deliver(delivery)));
    for (const result of results) {
      // the lease expires and the delivery is tried again
      if (result.status === 'rejected') this.logger.warn(`bot webhook delivery not recorded: ${(result.reason as Error).message}`);
    }
    return claimed.length;
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const secret = this.secret(delivery.webhookSecret);
    const outcome =
      secret === null
        ? ({ ok: false, error: 'the webhook secret cannot be decrypted' } as const)
        : await this.sender.post({ url: delivery.webhookUrl as string, secret, deliveryId: delivery.id, event: delivery.event, body: delivery.payload });
    if (outcome.ok) {
      await this.db.run((sql) => this.deliveries.markDelivered(sql, delivery.id));
      return;
    }
    this.logger.warn(`bot webhook delivery ${delivery.id} (bot ${delivery.botId}) attempt ${delivery.attempts} failed: ${outcome.error}`);
    if (delivery.attempts < this.options.maxAttempts) {
      await this.db.run((sql) => this.deliveries.scheduleRetry(sql, delivery.id, retryDelayMs(this.options, delivery.attempts), outcome.error));
      return;
    }
    const handedOff = await this.db.transaction(async (sql) => {
      await this.deliveries.markFailed(sql, delivery.id, delivery.conversationId, outcome.error);
      return this.handoffs.automatic(sql, delivery.conversationId, 'bot_webhook_failed', `Bot webhook failed: ${outcome.error}`);
    });
    if (handedOff) this.routing.capacityChanged(null);
  }

  private secret(encrypted: EncryptedSecret | null): string | null {
    if (!encrypted) return null;
    try {
      return this.secretBox.decrypt(encrypted);
    } catch {
      return null;
    }
  }
}
