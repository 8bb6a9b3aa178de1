import type { PresenceState } from './cluster-fanout.schema';

export interface PresenceEntry {
  conversationId: string;
  operatorId: string;
  name?: string;
  state: Exclude<PresenceState, 'left'>;
  at: number;
}

/** A presence not refreshed for this long is gone (clients repeat `viewing` every 30 s). */
export const PRESENCE_TTL_MS = 90_000;

/**
 * Who is viewing or typing in which conversation, across all instances (fed by local sockets and
 * by the fan-out), so an operator opening a conversation learns who is already there.
 */
export class PresenceRegistry {
  private readonly byConversation = new Map<string, Map<string, PresenceEntry>>();

  constructor(private readonly now: () => number = Date.now) {}

  apply(conversationId: string, operatorId: string, state: PresenceState, name?: string): void {
    let entries = this.byConversation.get(conversationId);
    if (state === 'left') {
      entries?.delete(operatorId);
      if (entries && entries.size === 0) this.byConversation.delete(conversationId);
      return;
    }
    if (!entries) {
      entries = new Map();
      this.byConversation.set(conversationId, entries);
    }
    entries.set(operatorId, { conversationId, operatorId, name, state, at: this.now() });
  }

  /** the others present in a conversation (expired entries dropped) */
  present(conversationId: string, except?: string): PresenceEntry[] {
    const entries = this.byConversation.get(conversationId);
    if (!entries) return [];
    const cutoff = this.now() - PRESENCE_TTL_MS;
    const out: PresenceEntry[] = [];
    for (const entry of entries.values()) {
      if (entry.at < cutoff) entries.delete(entry.operatorId);
      else if (entry.operatorId !== except) out.push(entry);
    }
    if (entries.size === 0) this.byConversation.delete(conversationId);
    return out;
  }

  sweep(): void {
    for (const conversationId of [...this.byConversation.keys()]) this.present(conversationId);
  }
}
