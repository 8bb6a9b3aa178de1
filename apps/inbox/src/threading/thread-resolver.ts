import type { ThreadCandidate, ThreadingDecision, ThreadingRequest } from './threading.types';

const DAY_MS = 86_400_000;

/**
 * Decides which conversation an inbound message belongs to (DESIGN.md, "Email threading"), in order:
 * a verified reply token → a referenced message of the same inbox (In-Reply-To / References) → the
 * channel's thread key → a new conversation. A match only counts when the sender is the
 * conversation's contact or a known participant: a stranger who copies someone else's References or
 * reply token gets a new conversation and sees nothing of the other one. A conversation resolved
 * longer ago than the inbox's limit is not continued either. Pure: the caller loads the candidates.
 */
export class ThreadResolver {
  decide(request: ThreadingRequest, lookup: (conversationId: string) => ThreadCandidate | undefined): ThreadingDecision {
    let senderMismatch: string | null = null;
    let expired: string | null = null;

    const attempt = (conversationId: string): boolean => {
      const candidate = lookup(conversationId);
      if (!candidate) return false;
      if (!this.senderBelongs(request, candidate)) {
        senderMismatch ??= conversationId;
        return false;
      }
      if (this.isExpired(request, candidate)) {
        expired ??= conversationId;
        return false;
      }
      return true;
    };

    if (request.replyTokenConversationId && attempt(request.replyTokenConversationId)) {
      return { kind: 'existing', conversationId: request.replyTokenConversationId, reason: 'reply_token' };
    }
    for (const conversationId of request.referencedConversationIds) {
      if (attempt(conversationId)) return { kind: 'existing', conversationId, reason: 'references' };
    }
    for (const conversationId of request.threadKeyConversationIds) {
      if (attempt(conversationId)) return { kind: 'existing', conversationId, reason: 'thread_key' };
    }

    if (senderMismatch) return { kind: 'new', reason: 'new:sender_mismatch', linkedConversationId: senderMismatch };
    if (expired) return { kind: 'new', reason: 'new:expired', linkedConversationId: expired };
    if (request.replyTokenInvalid) return { kind: 'new', reason: 'new:invalid_reply_token', linkedConversationId: null };
    return { kind: 'new', reason: 'new', linkedConversationId: null };
  }

  private senderBelongs(request: ThreadingRequest, candidate: ThreadCandidate): boolean {
    if (candidate.contactId === request.senderContactId) return true;
    return request.senderAddresses.some((address) => candidate.participants.has(address));
  }

  private isExpired(request: ThreadingRequest, candidate: ThreadCandidate): boolean {
    if (request.newConversationAfterDays === null || candidate.status !== 'resolved' || !candidate.resolvedAt) {
      return false;
    }
    return request.now.getTime() - candidate.resolvedAt.getTime() > request.newConversationAfterDays * DAY_MS;
  }
}
