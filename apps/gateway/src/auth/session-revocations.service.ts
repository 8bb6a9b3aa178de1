import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/common';
import type { GatewayConfig } from '../gateway.config';
import { InboxApiClient } from '../inbox-client/inbox-api.client';

interface RevokedSessions {
  now: string;
  items: Array<{ sessionId: string; revokedAt: string }>;
}

/** a revocation that commits a little after the inbox's clock was read is still caught by the next poll */
const OVERLAP_MS = 30_000;

/**
 * Sessions ended before their access tokens expire (logout, a reused refresh token, an operator
 * removed). Access tokens are verified here without a call per request, so the gateway keeps the
 * revoked session ids it has heard of for one access-token lifetime: its own logouts at once, every
 * other instance's and the inbox's by polling the auth store (SESSION_REVOCATION_POLL_MS). A freshly
 * started instance first reads one lifetime back. Listeners hear of each newly revoked session (the
 * operators' sockets close theirs).
 */
@Injectable()
export class SessionRevocations implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SessionRevocations.name);
  /** session id → until when it must be refused (ms since the epoch) */
  private readonly revoked = new Map<string, number>();
  private since: Date;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | null = null;
  private readonly lifetimeMs: number;
  private readonly listeners = new Set<(sessionId: string) => void>();

  constructor(
    private readonly inbox: InboxApiClient,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.lifetimeMs = config.ACCESS_TOKEN_TTL_SECONDS * 1000;
    this.since = new Date(Date.now() - this.lifetimeMs);
  }

  onApplicationBootstrap(): void {
    if (this.config.SESSION_REVOCATION_POLL_MS === 0) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.config.SESSION_REVOCATION_POLL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  isRevoked(sessionId: string | undefined): boolean {
    if (!sessionId) return false;
    const until = this.revoked.get(sessionId);
    return until !== undefined && until > Date.now();
  }

  /** this instance ended the session: refuse its access tokens here at once */
  revoke(sessionId: string): void {
    this.remember(sessionId, Date.now() + this.lifetimeMs);
  }

  /** told of every session newly known to be revoked (open sockets of it are closed); @returns a remover */
  onRevoked(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private remember(sessionId: string, until: number): void {
    const known = this.revoked.get(sessionId);
    if (known !== undefined && known >= until) return;
    this.revoked.set(sessionId, until);
    if (known === undefined) for (const listener of this.listeners) listener(sessionId);
  }

  /** reads the sessions revoked since the last poll (one read at a time) */
  poll(): Promise<void> {
    this.polling ??= this.fetch().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async fetch(): Promise<void> {
    try {
      const answer = await this.inbox.call<RevokedSessions>({ method: 'GET', path: '/auth/revoked-sessions', query: { since: this.since.toISOString() } });
      for (const item of answer.items) {
        // refused for a lifetime after the revocation: no token issued before it lives longer
        this.remember(item.sessionId, new Date(item.revokedAt).getTime() + this.lifetimeMs);
      }
      this.since = new Date(new Date(answer.now).getTime() - OVERLAP_MS);
      const now = Date.now();
      for (const [sessionId, until] of this.revoked) if (until <= now) this.revoked.delete(sessionId);
    } catch (error) {
      this.logger.warn(`revoked sessions: ${(error as Error).message}`);
    }
  }
}
