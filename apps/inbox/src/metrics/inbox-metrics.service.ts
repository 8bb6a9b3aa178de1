import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { MetricsService } from '@switchboard/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { IngestionService } from '../ingestion/ingestion.service';
import { OutboxRelay } from '../outbox/outbox-relay.service';

/**
 * The inbox's Prometheus metrics on the app's registry (served at /metrics): ingestion volume and
 * publish→commit latency, batch sizes, what the relay published, whether this instance leads it.
 */
@Injectable()
export class InboxMetrics implements OnModuleInit {
  constructor(
    private readonly ingestion: IngestionService,
    private readonly relay: OutboxRelay,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  onModuleInit(): void {
    if (!this.metrics) return;
    const registers = [this.metrics.registry];
    const messages = new Counter({ name: 'inbox_ingested_messages_total', help: 'Inbound messages by outcome', labelNames: ['outcome'], registers });
    const created = new Counter({ name: 'inbox_conversations_created_total', help: 'Conversations opened by inbound messages', registers });
    const latency = new Histogram({
      name: 'inbox_ingest_latency_seconds',
      help: 'From the connector publishing an inbound message to its commit in Postgres',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const batchSize = new Histogram({ name: 'inbox_ingest_batch_size', help: 'Inbound messages per ingestion transaction', buckets: [1, 5, 20, 50, 100, 250, 500, 1000], registers });
    const relay = this.relay;
    new Gauge({
      name: 'inbox_outbox_published_total',
      help: 'Outbox records this instance published',
      registers,
      collect() {
        this.set(relay.published);
      },
    });
    new Gauge({
      name: 'inbox_outbox_relay_leader',
      help: '1 when this instance is the outbox relay leader',
      registers,
      collect() {
        this.set(relay.isLeader ? 1 : 0);
      },
    });
    this.ingestion.observe((batch, outcome, committedAt) => {
      messages.inc({ outcome: 'stored' }, outcome.stored);
      messages.inc({ outcome: 'duplicate' }, outcome.duplicates);
      messages.inc({ outcome: 'edit' }, outcome.edits);
      created.inc(outcome.conversationsCreated);
      batchSize.observe(batch.length);
      for (const message of batch) latency.observe(Math.max(0, committedAt - message.timestamp) / 1000);
    });
  }
}
