import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { InboxApiClient } from '../inbox-client/inbox-api.client';

export interface VisibleConversation {
  id: string;
  inboxId: string;
  channel: string;
}

const CACHE_MS = 30_000;

/**
 * Whether an actor may see a conversation, asked of the inbox (which applies the operator's inbox
 * scope) as that actor, and cached briefly: presence and typing are only accepted for
 * conversations the sender may see.
 */
@Injectable()
export class ConversationAccess {
  private readonly cache = new Map<string, { value: Promise<VisibleConversation | undefined>; at: number }>();

  constructor(private readonly inbox: InboxApiClient) {}

  visible(actor: Actor, conversationId: string): Promise<VisibleConversation | undefined> {
    const key = `${actor.role}:${actor.id}:${conversationId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = this.inbox
      .request({ method: 'GET', path: `/conversations/${encodeURIComponent(conversationId)}`, actor })
      .then((response) => {
        if (response.status !== 200) return undefined;
        const body = response.body as Partial<VisibleConversation> | undefined;
        return body?.id && body.inboxId
          ? { id: body.id, inboxId: body.inboxId, channel: String(body.channel ?? '') }
          : undefined;
      });
    this.cache.set(key, { value, at: Date.now() });
    value.catch(() => this.cache.delete(key));
    if (this.cache.size > 50_000) this.cache.clear();
    return value;
  }
}
