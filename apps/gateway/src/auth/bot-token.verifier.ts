import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { UnauthorizedError } from '@switchboard/common/errors';
import { InboxApiClient } from '../inbox-client/inbox-api.client';
import type { Actor } from './actor';

const CACHE_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface AuthBot {
  id: string;
  name: string;
  inboxIds: string[];
}

/**
 * Bot tokens (opaque, from POST /api/v1/bots) checked by the inbox's auth store; answers are
 * cached for a short while by the token's hash (a deleted bot stops working within CACHE_MS).
 */
@Injectable()
export class BotTokenVerifier {
  private readonly cache = new Map<string, { actor: Actor | null; at: number }>();

  constructor(private readonly inbox: InboxApiClient) {}

  async verify(token: string): Promise<Actor> {
    const key = createHash('sha256').update(token).digest('hex');
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) {
      if (!hit.actor) throw invalid();
      return hit.actor;
    }
    const response = await this.inbox.request({ method: 'POST', path: '/auth/bot-token', body: { token } });
    let actor: Actor | null = null;
    if (response.status === 200) {
      const bot = response.body as AuthBot;
      actor = { kind: 'bot', id: bot.id, role: 'bot', name: bot.name, inboxIds: bot.inboxIds };
    } else if (response.status !== 401 && response.status !== 400) {
      throw InboxApiClient.toError(response);
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(key, { actor, at: Date.now() });
    if (!actor) throw invalid();
    return actor;
  }
}

function invalid(): UnauthorizedError {
  return new UnauthorizedError('Invalid bot token', { code: 'INVALID_TOKEN' });
}
