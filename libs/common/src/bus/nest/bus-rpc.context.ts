import { BaseRpcContext } from '@nestjs/microservices';
import { BusMessage } from '../bus.port';

/** The `@Ctx()` of a bus handler: the messages of this call (one, or a batch of one partition). */
export class BusRpcContext extends BaseRpcContext<[BusMessage[]]> {
  constructor(messages: BusMessage[]) {
    super([messages]);
  }

  getMessages(): BusMessage[] {
    return this.args[0];
  }

  getTopic(): string {
    return this.args[0][0]?.topic ?? '';
  }

  getPartition(): number {
    return this.args[0][0]?.partition ?? -1;
  }
}
