import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Topics, type MessageBus, type Subscription } from '@switchboard/common';
import { MESSAGE_BUS } from '../bus/bus.tokens';
import { DeliveryService } from './delivery.service';

export const DELIVERY_GROUP_ID = 'inbox-delivery';

/** Thin: inbox.delivery.v1 batches → DeliveryService. */
@Injectable()
export class DeliveryConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly delivery: DeliveryService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe({
      groupId: DELIVERY_GROUP_ID,
      topics: [Topics.delivery],
      eachBatch: async (messages) => {
        await this.delivery.handle(messages);
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
