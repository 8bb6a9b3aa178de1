import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { BusMessage, MessageBus } from '@switchboard/common';
import { GATEWAY_BUS, GATEWAY_INSTANCE_ID } from '../bus/bus.tokens';
import { ResilientSubscription } from '../bus/resilient-subscription';
import {
  FanoutInput,
  FanoutKind,
  FanoutMessage,
  fanoutMessageSchema,
  FanoutOf,
  GATEWAY_FANOUT_TOPIC,
} from './cluster-fanout.schema';

type Handler<K extends FanoutKind> = (message: FanoutOf<K>) => void;

/**
 * Passes socket-level news to every gateway instance: handled here at once, and published on
 * gateway.fanout.v1 for the others (each instance reads it with its own group, from "now"; its
 * own records are skipped). Presence is transient: a record older than a minute is dropped.
 */
@Injectable()
export class ClusterFanout implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterFanout.name);
  private readonly handlers = new Map<FanoutKind, Array<Handler<FanoutKind>>>();
  readonly subscription: ResilientSubscription;

  constructor(
    @Inject(GATEWAY_BUS) private readonly bus: MessageBus,
    @Inject(GATEWAY_INSTANCE_ID) private readonly instanceId: string,
  ) {
    this.subscription = new ResilientSubscription(
      bus,
      [{ topic: GATEWAY_FANOUT_TOPIC }],
      {
        groupId: `gateway-fanout-${instanceId}`,
        topics: [GATEWAY_FANOUT_TOPIC],
        fromBeginning: false,
        partitionsConsumedConcurrently: 3,
        retry: { maxAttempts: 1 },
        maxWaitTimeMs: 200,
        eachBatch: async (messages) => {
          for (const message of messages) this.receive(message);
        },
      },
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    this.subscription.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription.stop();
  }

  on<K extends FanoutKind>(kind: K, handler: Handler<K>): void {
    const list = this.handlers.get(kind) ?? [];
    list.push(handler as unknown as Handler<FanoutKind>);
    this.handlers.set(kind, list);
  }

  /** handles `input` on this instance now and sends it to the others (resolves once Kafka has it) */
  async publish<K extends FanoutKind>(input: FanoutInput<K> & { kind: K }, key: string): Promise<void> {
    const message = { ...input, origin: this.instanceId, at: Date.now() } as unknown as FanoutMessage;
    this.dispatch(message);
    await this.bus.publish(GATEWAY_FANOUT_TOPIC, [{ key, value: message }]);
  }

  private receive(record: BusMessage): void {
    let message: FanoutMessage;
    try {
      message = fanoutMessageSchema.parse(JSON.parse(record.value.toString('utf8')));
    } catch (error) {
      this.logger.warn({ err: error, offset: record.offset }, 'skipping an unreadable fan-out record');
      return;
    }
    if (message.origin === this.instanceId) return;
    if (message.kind !== 'visitor-message' && Date.now() - message.at > 60_000) return;
    this.dispatch(message);
  }

  private dispatch(message: FanoutMessage): void {
    for (const handler of this.handlers.get(message.kind) ?? []) {
      try {
        handler(message);
      } catch (error) {
        this.logger.error({ err: error, kind: message.kind }, 'fan-out handler failed');
      }
    }
  }
}
