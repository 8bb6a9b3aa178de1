import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { APP_CONFIG } from '@switchboard/common';
import type { AuthStoreConfig } from './auth-store.config';
import { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';

/**
 * The inbox's database for the auth store: the domain module's INBOX_DATABASE pool (already
 * migrated), looked up in the whole application so this module needs no import of the domain
 * module. Without one (an app that does not run the domain), it opens a small pool of its own and
 * migrates it (under the migration lock, so that is safe next to other instances).
 */
@Injectable()
export class AuthStoreDatabase implements OnModuleInit, OnApplicationShutdown {
  private db: InboxDatabase | undefined;
  private own: InboxDatabase | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AuthStoreConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      this.db = this.moduleRef.get<InboxDatabase>(INBOX_DATABASE, { strict: false });
    } catch {
      this.own = await InboxDatabase.open({
        url: this.config.DATABASE_URL,
        poolSize: 3,
        applicationName: 'switchboard-inbox-auth',
      });
      await this.own.migrate();
      this.db = this.own;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.own?.close();
  }

  get(): InboxDatabase {
    if (!this.db) throw new Error('AuthStoreDatabase used before the module was initialized');
    return this.db;
  }
}
