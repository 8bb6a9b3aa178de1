import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/common';
import { newId } from '@switchboard/common/ids';
import type { AuthStoreConfig } from './auth-store.config';
import { AuthStoreRepository } from './auth-store.repository';
import { PasswordHasher } from './password-hasher';

/**
 * Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD once: only while no admin exists, so a
 * later password change or a removed admin is never undone by a restart. Safe with several
 * instances booting together (the unique email index settles the race).
 */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminBootstrap.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AuthStoreConfig,
    private readonly repository: AuthStoreRepository,
    private readonly hasher: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.ADMIN_EMAIL;
    const password = this.config.ADMIN_PASSWORD;
    if (!email || !password) return;
    const passwordHash = await this.hasher.hash(password);
    const created = await this.repository.run((sql) =>
      this.repository.insertFirstAdmin(sql, {
        id: newId(),
        email,
        name: email.split('@')[0] || 'Admin',
        passwordHash,
      }),
    );
    if (created) this.logger.log(`first admin ${email} created`);
  }
}
