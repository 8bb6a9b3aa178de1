import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { MessageBus } from '@switchboard/common';

export const EMAIL_BUS = Symbol('EMAIL_BUS');

/**
 * Closes the email connector's bus at shutdown — after ConnectorHostService stopped the host in
 * onModuleDestroy (every IMAP session finished its batch in flight and committed its cursor).
 */
@Injectable()
export class EmailBusCloser implements OnApplicationShutdown {
  constructor(@Inject(EMAIL_BUS) private readonly bus: MessageBus) {}

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
