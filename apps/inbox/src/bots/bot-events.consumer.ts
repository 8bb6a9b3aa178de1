import { Inject, Injectable } from '@nestjs/common';
import { Topics, type BusMessage, type MessageBus } from '@switchboard/common';
import { BatchConsumer } from '../bus/batch-consumer';
import { MESSAGE_BUS } from '../bus/bus.tokens';
import { BotEventsService } from './bot-events.service';

export const BOT_EVENTS_GROUP_ID = 'inbox-bot-webhooks';

/** Thin: inbox.events.v1 batches (own consumer group) → BotEventsService. */
@Injectable()
export class BotEventsConsumer extends BatchConsumer {
  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    private readonly events: BotEventsService,
  ) {
    super(bus, BOT_EVENTS_GROUP_ID, Topics.events);
  }

  protected handle(messages: BusMessage[]): Promise<unknown> {
    return this.events.handle(messages);
  }
}
