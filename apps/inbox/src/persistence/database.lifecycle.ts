import type { OnApplicationShutdown } from '@nestjs/common';
import type { InboxDatabase } from './inbox-database';

/** Closes the pool last. */
export class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(private readonly db: InboxDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
