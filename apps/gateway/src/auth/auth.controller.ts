import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@switchboard/common/errors';
import type { Request } from 'express';
import type { z } from 'zod';
import { Endpoint } from '../api/endpoint.decorator';
import { clientAddress } from '../security/client-address';
import type { Actor } from './actor';
import { AuthService, TokenPair } from './auth.service';
import { loginSchema, logoutSchema, refreshSchema } from './auth.schemas';
import { CurrentActor } from './current-actor.decorator';
import { LoginRateLimiter } from './login-rate-limiter';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  @Post('login')
  @Endpoint({
    summary: 'Log in: {accessToken, refreshToken, operator}',
    description: 'Rate-limited per email and address (429 with Retry-After).',
    body: loginSchema,
    status: 200,
  })
  login(
    @Body(new ZodValidationPipe(loginSchema)) body: z.output<typeof loginSchema>,
    @Req() request: Request,
  ): Promise<TokenPair> {
    const ip = clientAddress(request);
    this.limiter.checkLogin(ip, body.email);
    return this.auth.login(body.email, body.password, { ip, userAgent: request.headers['user-agent'] });
  }

  @Post('refresh')
  @Endpoint({
    summary: 'A new token pair for a refresh token',
    description: 'The refresh token is rotated; presenting a used one again revokes the whole session.',
    body: refreshSchema,
    status: 200,
  })
  refresh(
    @Body(new ZodValidationPipe(refreshSchema)) body: z.output<typeof refreshSchema>,
    @Req() request: Request,
  ): Promise<TokenPair> {
    const ip = clientAddress(request);
    this.limiter.checkRefresh(ip);
    return this.auth.refresh(body.refreshToken, { ip, userAgent: request.headers['user-agent'] });
  }

  @Post('logout')
  @Endpoint({
    summary: "End the caller's session (its refresh tokens stop working)",
    roles: ['admin', 'supervisor', 'operator', 'bot'],
    body: logoutSchema,
    status: 204,
  })
  async logout(
    @CurrentActor() actor: Actor,
    @Body(new ZodValidationPipe(logoutSchema)) body: z.output<typeof logoutSchema>,
  ): Promise<void> {
    await this.auth.logout(actor, body.refreshToken);
  }
}
