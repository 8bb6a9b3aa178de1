import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { NotFoundError, ZodValidationPipe } from '@switchboard/common/errors';
import { z } from 'zod';
import { AuthStoreService } from './auth-store.service';
import type { ActorScope, AuthBot, AuthOperator, IssuedSession } from './auth-store.types';
import {
  actorScopeParamsSchema,
  botTokenSchema,
  logoutSchema,
  refreshSchema,
  revokedSessionsQuerySchema,
  verifyCredentialsSchema,
} from './dto/auth-store.schemas';
import { InternalTokenGuard } from './internal-token.guard';

/** The gateway's auth store (internal API; the gateway mints the access tokens). */
@Controller('internal/v1/auth')
@UseGuards(InternalTokenGuard)
export class AuthStoreController {
  constructor(private readonly auth: AuthStoreService) {}

  /** checks the credentials and opens a session: the operator and a refresh token, or 401 INVALID_CREDENTIALS */
  @Post('login')
  @HttpCode(200)
  login(
    @Body(new ZodValidationPipe(verifyCredentialsSchema)) body: z.output<typeof verifyCredentialsSchema>,
  ): Promise<IssuedSession> {
    return this.auth.login(body.email, body.password, { userAgent: body.userAgent, ip: body.ip });
  }

  /** rotates a refresh token (401 when invalid, expired, revoked, or reused — which revokes the session) */
  @Post('refresh')
  @HttpCode(200)
  refresh(
    @Body(new ZodValidationPipe(refreshSchema)) body: z.output<typeof refreshSchema>,
  ): Promise<IssuedSession> {
    return this.auth.refresh(body.refreshToken, { userAgent: body.userAgent, ip: body.ip });
  }

  @Post('logout')
  @HttpCode(200)
  logout(
    @Body(new ZodValidationPipe(logoutSchema)) body: z.output<typeof logoutSchema>,
  ): Promise<{ revoked: number }> {
    return this.auth.logout(body);
  }

  /** sessions revoked after `since` (ISO 8601), with the database's clock for the next call */
  @Get('revoked-sessions')
  revokedSessions(
    @Query(new ZodValidationPipe(revokedSessionsQuerySchema)) query: z.output<typeof revokedSessionsQuerySchema>,
  ): Promise<{ now: string; items: Array<{ sessionId: string; revokedAt: string }> }> {
    return this.auth.revokedSessions(query.since);
  }

  @Post('bot-token')
  @HttpCode(200)
  botToken(
    @Body(new ZodValidationPipe(botTokenSchema)) body: z.output<typeof botTokenSchema>,
  ): Promise<AuthBot> {
    return this.auth.verifyBotToken(body.token);
  }

  /** which inboxes an actor may see now (the gateway caches it briefly for its sockets) */
  @Get('scope/:role/:id')
  scope(
    @Param(new ZodValidationPipe(actorScopeParamsSchema)) params: z.output<typeof actorScopeParamsSchema>,
  ): Promise<ActorScope> {
    return this.auth.scope(params.role, params.id);
  }

  @Get('operators/:id')
  async operator(
    @Param(new ZodValidationPipe(z.object({ id: z.string().uuid() }))) params: { id: string },
  ): Promise<AuthOperator> {
    const operator = await this.auth.operator(params.id);
    if (!operator) throw NotFoundError.of('operator', params.id);
    return operator;
  }
}
