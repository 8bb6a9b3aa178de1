import type { OnApplicationShutdown } from '@nestjs/common';
import type { MessageBus } from '@switchboard/common';

/** Closes a bus the inbox created, after consumers and the relay stopped (they stop in onModuleDestroy). */
export class InboxBusLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly bus: MessageBus,
    private readonly owned: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.owned) await this.bus.close();
  }
}
