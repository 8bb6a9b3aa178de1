import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Topics, type MessageBus, type Subscription } from '@switchboard/common';
import { MESSAGE_BUS } from '../bus/bus.tokens';
import { BotEventsService } from './bot-events.service';

export const BOT_EVENTS_GROUP_ID = 'inbox-bot-webhooks';

/** Thin: inbox.events.v1 batches (own consumer group) → BotEventsService. */
@Injectable()
export class BotEventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly events: BotEventsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe({
      groupId: BOT_EVENTS_GROUP_ID,
      topics: [Topics.events],
      eachBatch: async (messages) => {
        await this.events.handle(messages);
      },
      partitionsConsumedConcurrently: 2,
      maxBatchSize: 200,
      retry: { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 5000 },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }
}
