import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { BusMessage, MessageBus, Subscription } from '@switchboard/common';

/** A consumer group on one topic whose batches go to one handler; subscribed at boot, stopped on shutdown. */
export abstract class BatchConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | null = null;

  protected constructor(
    private readonly bus: MessageBus,
    private readonly groupId: string,
    private readonly topic: string,
  ) {}

  protected abstract handle(messages: BusMessage[]): Promise<unknown>;

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe({
      groupId: this.groupId,
      topics: [this.topic],
      eachBatch: async (messages) => {
        await this.handle(messages);
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
