import { Module } from '@nestjs/common';
import { AuthStoreController } from './auth-store.controller';
import { AuthStoreDatabase } from './auth-store.database';
import { AuthStoreRepository } from './auth-store.repository';
import { AuthStoreService } from './auth-store.service';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { InternalTokenGuard } from './internal-token.guard';
import { PasswordHasher } from './password-hasher';
import { WebchatStoreController } from './webchat-store.controller';

/**
 * The gateway's auth store inside the inbox (the only writer of Postgres): login, refresh-token
 * rotation, logout, bot tokens, actor scopes, the first admin, and the web chat visitor history.
 * Needs the app config (APP_CONFIG) and the domain module's INBOX_DATABASE.
 */
@Module({
  controllers: [AuthStoreController, WebchatStoreController],
  providers: [
    AuthStoreDatabase,
    AuthStoreRepository,
    AuthStoreService,
    PasswordHasher,
    FirstAdminBootstrap,
    InternalTokenGuard,
  ],
  exports: [PasswordHasher],
})
export class AuthStoreModule {}
