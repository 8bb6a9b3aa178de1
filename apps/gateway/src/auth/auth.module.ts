import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { InboxClientModule } from '../inbox-client/inbox-client.module';
import { AccessTokenService } from './access-token.service';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator.service';
import { BotTokenVerifier } from './bot-token.verifier';
import { LoginRateLimiter } from './login-rate-limiter';
import { SessionRevocations } from './session-revocations.service';

/** Operators' and bots' authentication, and the global deny-by-default AccessGuard. */
@Module({
  imports: [InboxClientModule],
  controllers: [AuthController],
  providers: [
    AccessTokenService,
    BotTokenVerifier,
    Authenticator,
    LoginRateLimiter,
    SessionRevocations,
    AuthService,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [Authenticator, AccessTokenService, SessionRevocations],
})
export class AuthModule {}
