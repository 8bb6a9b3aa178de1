import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Topics, type MessageBus, type Subscription } from '@switchboard/common';
import { MESSAGE_BUS } from '../bus/bus.tokens';
import { INBOX_DOMAIN_OPTIONS, type InboxDomainOptions } from '../inbox-domain.options';
import { IngestionService } from './ingestion.service';

export const INBOUND_GROUP_ID = 'inbox-inbound';

/** Thin: inbox.inbound.v1 batches → IngestionService (one transaction per batch). */
@Injectable()
export class InboundConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription: Subscription | null = null;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(INBOX_DOMAIN_OPTIONS) private readonly options: InboxDomainOptions,
    private readonly ingestion: IngestionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.subscribe({
      groupId: INBOUND_GROUP_ID,
      topics: [Topics.inbound],
      eachBatch: async (messages) => {
        await this.ingestion.ingest(messages);
      },
      partitionsConsumedConcurrently: this.options.inboundConcurrency,
      maxBatchSize: this.options.inboundBatchSize,
      retry: { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 5000 },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = null;
  }
}
