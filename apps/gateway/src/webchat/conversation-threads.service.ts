import { Injectable } from '@nestjs/common';
import { InboxApiClient } from '../inbox-client/inbox-api.client';

interface Thread {
  conversationId: string;
  inboxId: string;
  channelType: string;
  threadKey: string;
}

/** Conversation ↔ web chat thread, asked of the inbox's store and cached briefly. */
@Injectable()
export class ConversationThreads {
  private readonly threads = new Map<string, { value: Promise<Thread | undefined>; at: number }>();
  private readonly conversations = new Map<string, { value: Promise<string | undefined>; at: number }>();

  constructor(private readonly inbox: InboxApiClient) {}

  threadOf(conversationId: string): Promise<Thread | undefined> {
    return cached(this.threads, conversationId, 60_000, async () => {
      const response = await this.inbox.request({
        method: 'GET',
        path: `/webchat/conversations/${encodeURIComponent(conversationId)}/thread`,
      });
      return response.status === 200 ? (response.body as Thread) : undefined;
    });
  }

  /** the inbox's newest conversation of a visitor's thread (none before the first message is ingested) */
  conversationOf(inboxId: string, threadId: string): Promise<string | undefined> {
    return cached(this.conversations, `${inboxId}:${threadId}`, 10_000, async () => {
      const response = await this.inbox.request({
        method: 'GET',
        path: '/webchat/threads/conversation',
        query: { inboxId, threadKey: threadId },
      });
      return response.status === 200
        ? (response.body as { conversationId: string }).conversationId
        : undefined;
    });
  }
}

function cached<T>(
  map: Map<string, { value: Promise<T | undefined>; at: number }>,
  key: string,
  ttlMs: number,
  load: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const hit = map.get(key);
  if (hit && Date.now() - hit.at < ttlMs) return hit.value;
  const value = load();
  map.set(key, { value, at: Date.now() });
  // misses and failures are not kept (the conversation may appear any moment)
  value.then(
    (result) => result === undefined && map.delete(key),
    () => map.delete(key),
  );
  if (map.size > 50_000) map.clear();
  return value;
}
