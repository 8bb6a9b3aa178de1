import { Injectable } from '@nestjs/common';
import { InboxApiClient } from '../inbox-client/inbox-api.client';

const FOUND_MS = 300_000;
const MISSING_MS = 5_000;

/**
 * The inbox a widget's public key names, asked of the inbox (its `public_key`) when the channel
 * config does not carry it in `settings.inboxKey`; cached (briefly for unknown keys).
 */
@Injectable()
export class InboxKeys {
  private readonly cache = new Map<string, { inboxId: string | undefined; at: number }>();

  constructor(private readonly inbox: InboxApiClient) {}

  async inboxIdOf(key: string): Promise<string | undefined> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < (hit.inboxId ? FOUND_MS : MISSING_MS)) return hit.inboxId;
    const response = await this.inbox.request({
      method: 'GET',
      path: `/webchat/inbox-keys/${encodeURIComponent(key)}`,
    });
    if (response.status !== 200 && response.status !== 404) throw InboxApiClient.toError(response);
    const inboxId = response.status === 200 ? (response.body as { inboxId: string }).inboxId : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { inboxId, at: Date.now() });
    return inboxId;
  }
}
