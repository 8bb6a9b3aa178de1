import { Injectable } from '@nestjs/common';
import { InboxApiClient } from '../inbox-client/inbox-api.client';
import { AccessTokenService } from './access-token.service';
import { SessionRevocations } from './session-revocations.service';
import type { Actor } from './actor';

interface IssuedSession {
  operator: {
    id: string;
    email: string;
    name: string;
    role: 'admin' | 'supervisor' | 'operator';
    availability: string;
  };
  refreshToken: string;
  sessionId: string;
  refreshExpiresAt: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresAt: string;
  operator: IssuedSession['operator'];
}

/**
 * Login, refresh and logout. The inbox's auth store checks the password (argon2id) and keeps the
 * refresh tokens (rotation, reuse detection, revocation); the gateway mints the access tokens.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly inbox: InboxApiClient,
    private readonly accessTokens: AccessTokenService,
    private readonly revocations: SessionRevocations,
  ) {}

  async login(
    email: string,
    password: string,
    client: { ip: string; userAgent?: string },
  ): Promise<TokenPair> {
    const session = await this.inbox.call<IssuedSession>({
      method: 'POST',
      path: '/auth/login',
      body: { email, password, ip: client.ip.slice(0, 64), userAgent: client.userAgent?.slice(0, 512) },
    });
    return this.pair(session);
  }

  async refresh(refreshToken: string, client: { ip: string; userAgent?: string }): Promise<TokenPair> {
    const session = await this.inbox.call<IssuedSession>({
      method: 'POST',
      path: '/auth/refresh',
      body: { refreshToken, ip: client.ip.slice(0, 64), userAgent: client.userAgent?.slice(0, 512) },
    });
    return this.pair(session);
  }

  /** ends the caller's session (and the one of `refreshToken`, when given); bots have none */
  async logout(actor: Actor, refreshToken?: string): Promise<void> {
    if (actor.kind !== 'operator') return;
    if (actor.sessionId) this.revocations.revoke(actor.sessionId);
    if (actor.sessionId)
      await this.inbox.call({
        method: 'POST',
        path: '/auth/logout',
        body: { sessionId: actor.sessionId, operatorId: actor.id },
      });
    if (refreshToken)
      await this.inbox.call({
        method: 'POST',
        path: '/auth/logout',
        body: { refreshToken, operatorId: actor.id },
      });
  }

  private pair(session: IssuedSession): TokenPair {
    return {
      accessToken: this.accessTokens.sign(session.operator, session.sessionId),
      refreshToken: session.refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
      refreshExpiresAt: session.refreshExpiresAt,
      operator: session.operator,
    };
  }
}
