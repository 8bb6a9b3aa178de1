import { Inject, Injectable } from '@nestjs/common';
import { Topics, type BusMessage, type MessageBus } from '@switchboard/common';
import { BatchConsumer } from '../bus/batch-consumer';
import { MESSAGE_BUS } from '../bus/bus.tokens';
import { DeliveryService } from './delivery.service';

export const DELIVERY_GROUP_ID = 'inbox-delivery';

/** Thin: inbox.delivery.v1 batches → DeliveryService. */
@Injectable()
export class DeliveryConsumer extends BatchConsumer {
  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    private readonly delivery: DeliveryService,
  ) {
    super(bus, DELIVERY_GROUP_ID, Topics.delivery);
  }

  protected handle(messages: BusMessage[]): Promise<unknown> {
    return this.delivery.handle(messages);
  }
}
