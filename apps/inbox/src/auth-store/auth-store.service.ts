import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/common';
import { RateLimitedError, UnauthorizedError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import type { AuthStoreConfig } from './auth-store.config';
import { AuthStoreRepository, OperatorCredentialRow } from './auth-store.repository';
import type { ActorScope, AuthBot, AuthOperator, IssuedSession } from './auth-store.types';
import { PasswordHasher } from './password-hasher';
import { RefreshTokenCodec } from './refresh-token.codec';

/** Refresh tokens live this long (each rotation starts a new period; the access token is the gateway's, minutes). */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600_000;

interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

type RefreshOutcome = { ok: true; session: IssuedSession } | { ok: false; error: UnauthorizedError };

/**
 * Operators' credentials and sessions, bot tokens and actor scopes, for the gateway (which holds no
 * state). Passwords: argon2id. Refresh tokens: rotated on every use; a rotated token presented again
 * means it was stolen (or replayed), so the whole family (that login) is revoked.
 */
@Injectable()
export class AuthStoreService {
  constructor(
    private readonly repository: AuthStoreRepository,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AuthStoreConfig,
  ) {}

  /**
   * Checks the credentials and opens a session. Failed logins are counted here, for every gateway
   * instance at once: LOGIN_MAX_ATTEMPTS per address and email (five times that per address) within
   * LOGIN_WINDOW_SECONDS, then 429 LOGIN_RATE_LIMITED until the oldest failure leaves the window.
   */
  async login(email: string, password: string, client: ClientInfo): Promise<IssuedSession> {
    const address = client.ip ?? 'unknown';
    const { LOGIN_MAX_ATTEMPTS: max, LOGIN_WINDOW_SECONDS: window } = this.config;
    const failures = await this.repository.run((sql) => this.repository.loginFailures(sql, address, email, window));
    const wait = failures.forEmail >= max ? failures.emailFreesIn : failures.forAddress >= max * 5 ? failures.addressFreesIn : null;
    if (wait !== null) {
      throw new RateLimitedError(Math.max(1, Math.ceil(wait)), 'Too many failed logins; try again later', { code: 'LOGIN_RATE_LIMITED' });
    }
    const operator = await this.repository.run((sql) => this.repository.findOperatorByEmail(sql, email));
    const valid = await this.hasher.verify(operator?.passwordHash, password);
    if (!operator || !valid) {
      await this.repository.run((sql) => this.repository.recordLoginFailure(sql, address, email, window));
      throw new UnauthorizedError('Wrong email or password', { code: 'INVALID_CREDENTIALS' });
    }
    return this.repository.transaction((sql) => this.issue(sql, operator, newId(), client));
  }

  async refresh(token: string, client: ClientInfo): Promise<IssuedSession> {
    const parts = RefreshTokenCodec.parse(token);
    if (!parts) throw invalidRefresh();
    // the revocation of a reused family must commit, so the refusal is thrown after the transaction
    const outcome = await this.repository.transaction<RefreshOutcome>(async (sql) => {
      const row = await this.repository.lockRefreshToken(sql, parts.id);
      if (!row || !RefreshTokenCodec.matches(parts.secret, row.tokenHash))
        return { ok: false, error: invalidRefresh() };
      if (row.revokedAt)
        return {
          ok: false,
          error: new UnauthorizedError('The session was ended', { code: 'REFRESH_TOKEN_REVOKED' }),
        };
      if (row.rotatedAt) {
        await this.repository.revokeFamily(sql, row.familyId, 'reuse');
        return {
          ok: false,
          error: new UnauthorizedError('This refresh token was already used; the session is revoked', {
            code: 'REFRESH_TOKEN_REUSED',
          }),
        };
      }
      if (row.expiresAt.getTime() <= Date.now())
        return {
          ok: false,
          error: new UnauthorizedError('The session expired', { code: 'REFRESH_TOKEN_EXPIRED' }),
        };
      const operator = await this.repository.findActiveOperator(sql, row.operatorId);
      if (!operator) {
        await this.repository.revokeFamily(sql, row.familyId, 'operator_removed');
        return { ok: false, error: invalidRefresh() };
      }
      await this.repository.markRotated(sql, row.id);
      return { ok: true, session: await this.issue(sql, operator, row.familyId, client) };
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.session;
  }

  /** ends a session (its whole family); by session id (from the access token) or by a refresh token */
  async logout(input: {
    sessionId?: string;
    refreshToken?: string;
    operatorId?: string;
  }): Promise<{ revoked: number }> {
    let familyId = input.sessionId;
    if (!familyId && input.refreshToken) {
      const parts = RefreshTokenCodec.parse(input.refreshToken);
      if (!parts) return { revoked: 0 };
      const row = await this.repository.run((sql) => this.repository.lockRefreshToken(sql, parts.id));
      if (!row || !RefreshTokenCodec.matches(parts.secret, row.tokenHash)) return { revoked: 0 };
      familyId = row.familyId;
    }
    if (!familyId) return { revoked: 0 };
    const revoked = await this.repository.run((sql) =>
      this.repository.revokeFamily(sql, familyId, 'logout', input.operatorId),
    );
    return { revoked };
  }

  /** sessions revoked after `since` (logout, reuse, operator removed): the gateways refuse their access tokens */
  async revokedSessions(since: Date): Promise<{ now: string; items: Array<{ sessionId: string; revokedAt: string }> }> {
    const found = await this.repository.run((sql) => this.repository.revokedSessionsSince(sql, since));
    return { now: found.now.toISOString(), items: found.items.map((item) => ({ sessionId: item.sessionId, revokedAt: item.revokedAt.toISOString() })) };
  }

  /** bot tokens are high-entropy random strings: sha256(token) is stored in bots.token_hash */
  async verifyBotToken(token: string): Promise<AuthBot> {
    const hash = createHash('sha256').update(token).digest('hex');
    return this.repository.run(async (sql) => {
      const bot = await this.repository.findBotByTokenHash(sql, hash);
      if (!bot) throw new UnauthorizedError('Invalid bot token', { code: 'INVALID_TOKEN' });
      return { id: bot.id, name: bot.name, inboxIds: await this.repository.botInboxIds(sql, bot.id) };
    });
  }

  async scope(role: 'admin' | 'supervisor' | 'operator' | 'bot', id: string): Promise<ActorScope> {
    return this.repository.run(async (sql) => {
      if (role === 'bot') {
        const bot = await this.repository.botExists(sql, id);
        if (!bot) return { active: false, role: null, all: false, inboxIds: [] };
        return {
          active: true,
          role: 'bot',
          all: false,
          inboxIds: await this.repository.botInboxIds(sql, id),
        };
      }
      const operator = await this.repository.findActiveOperator(sql, id);
      if (!operator) return { active: false, role: null, all: false, inboxIds: [] };
      if (operator.role === 'admin' || operator.role === 'supervisor')
        return { active: true, role: operator.role, all: true, inboxIds: [] };
      return {
        active: true,
        role: operator.role,
        all: false,
        inboxIds: await this.repository.operatorInboxIds(sql, id),
      };
    });
  }

  async operator(id: string): Promise<AuthOperator | undefined> {
    const row = await this.repository.run((sql) => this.repository.findActiveOperator(sql, id));
    return row ? publicOperator(row) : undefined;
  }

  private async issue(
    sql: Parameters<Parameters<AuthStoreRepository['transaction']>[0]>[0],
    operator: OperatorCredentialRow,
    familyId: string,
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const id = newId();
    const secret = RefreshTokenCodec.newSecret();
    const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    await this.repository.insertRefreshToken(sql, {
      id,
      familyId,
      operatorId: operator.id,
      tokenHash: RefreshTokenCodec.hash(secret),
      expiresAt,
      userAgent: client.userAgent,
      ip: client.ip,
    });
    return {
      operator: publicOperator(operator),
      refreshToken: RefreshTokenCodec.format({ id, secret }),
      sessionId: familyId,
      refreshExpiresAt: expiresAt.toISOString(),
    };
  }
}

function invalidRefresh(): UnauthorizedError {
  return new UnauthorizedError('Invalid refresh token', { code: 'REFRESH_TOKEN_INVALID' });
}

function publicOperator(row: OperatorCredentialRow): AuthOperator {
  return { id: row.id, email: row.email, name: row.name, role: row.role, availability: row.availability };
}
