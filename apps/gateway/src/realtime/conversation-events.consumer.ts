import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { decodeEvent, Topics, type BusMessage, type MessageBus } from '@switchboard/common';
import { GATEWAY_BUS, GATEWAY_INSTANCE_ID } from '../bus/bus.tokens';
import { ResilientSubscription } from '../bus/resilient-subscription';
import { CONVERSATION_EVENT_TYPES, ConversationEventType, toOperatorEvent } from './operator-event';
import { OperatorSocketGateway } from './operator-socket.gateway';
import { ReplayBuffer } from './replay-buffer';

/**
 * inbox.events.v1 → operators' sockets. The group is this instance's own, so every instance
 * receives every event (its sockets may be anyone's); it starts at the newest events (what came
 * before is the REST API's to tell). Unreadable records are logged and skipped, not dead-lettered
 * (each instance would copy them to the DLQ again).
 */
@Injectable()
export class ConversationEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConversationEventsConsumer.name);
  readonly subscription: ResilientSubscription;

  constructor(
    @Inject(GATEWAY_BUS) bus: MessageBus,
    @Inject(GATEWAY_INSTANCE_ID) instanceId: string,
    private readonly buffer: ReplayBuffer,
    private readonly sockets: OperatorSocketGateway,
  ) {
    this.subscription = new ResilientSubscription(
      bus,
      [{ topic: Topics.events }],
      {
        groupId: `gateway-events-${instanceId}`,
        topics: [Topics.events],
        fromBeginning: false,
        partitionsConsumedConcurrently: 3,
        retry: { maxAttempts: 1 },
        maxWaitTimeMs: 200,
        eachBatch: async (messages) => {
          for (const message of messages) this.handle(message);
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

  private handle(message: BusMessage): void {
    try {
      const event = decodeEvent<ConversationEventType>(message, CONVERSATION_EVENT_TYPES);
      const operatorEvent = toOperatorEvent(event, message.partition, message.timestamp);
      this.buffer.push(operatorEvent);
      this.sockets.deliver(operatorEvent);
    } catch (error) {
      this.logger.warn(
        { err: error, partition: message.partition, offset: message.offset },
        'skipping an unreadable conversation event',
      );
    }
  }
}
