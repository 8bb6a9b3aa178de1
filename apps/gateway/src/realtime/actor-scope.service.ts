import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/common';
import type { Actor } from '../auth/actor';
import type { GatewayConfig } from '../gateway.config';
import { InboxApiClient } from '../inbox-client/inbox-api.client';

/** What an actor may see now: every inbox (admins, supervisors) or the listed ones. */
export interface ActorScope {
  active: boolean;
  all: boolean;
  inboxIds: string[];
}

/**
 * Actors' inbox membership from the inbox's auth store, cached for SCOPE_CACHE_MS (membership
 * changes reach open sockets within that time; concurrent look-ups share one request).
 */
@Injectable()
export class ActorScopeService {
  private readonly cache = new Map<string, { scope: Promise<ActorScope>; at: number }>();

  constructor(
    private readonly inbox: InboxApiClient,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  scopeOf(actor: Actor, fresh = false): Promise<ActorScope> {
    const key = `${actor.role}:${actor.id}`;
    const hit = this.cache.get(key);
    if (!fresh && hit && Date.now() - hit.at < this.config.SCOPE_CACHE_MS) return hit.scope;
    const scope = this.inbox.call<ActorScope>({
      method: 'GET',
      path: `/auth/scope/${actor.role}/${actor.id}`,
    });
    this.cache.set(key, { scope, at: Date.now() });
    scope.catch(() => this.cache.delete(key));
    if (this.cache.size > 50_000) this.cache.clear();
    return scope;
  }
}
