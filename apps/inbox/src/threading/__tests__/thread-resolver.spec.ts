import { randomUUID } from 'node:crypto';
import { ThreadResolver } from '../thread-resolver';
import type { ThreadCandidate, ThreadingRequest } from '../threading.types';

function candidate(overrides: Partial<ThreadCandidate> = {}): ThreadCandidate {
  return { conversationId: randomUUID(), contactId: randomUUID(), status: 'open', resolvedAt: null, participants: new Set(), ...overrides };
}

function request(overrides: Partial<ThreadingRequest> = {}): ThreadingRequest {
  return {
    senderContactId: randomUUID(),
    senderAddresses: [],
    replyTokenConversationId: null,
    replyTokenInvalid: false,
    referencedConversationIds: [],
    threadKeyConversationIds: [],
    newConversationAfterDays: null,
    now: new Date('2025-03-01T12:00:00Z'),
    ...overrides,
  };
}

/** a lookup that only knows the given candidates and fails the test on any other id */
function strictLookup(...candidates: ThreadCandidate[]): jest.Mock<ThreadCandidate | undefined, [string]> {
  const byId = new Map(candidates.map((c) => [c.conversationId, c]));
  return jest.fn((id: string) => {
    const found = byId.get(id);
    if (!found) throw new Error(`unexpected lookup of ${id}`);
    return found;
  });
}

describe(ThreadResolver.name, () => {
  const sut = new ThreadResolver();

  it('joins the conversation named by a verified reply token when the sender is its contact', () => {
    const conversation = candidate();
    const decision = sut.decide(
      request({ senderContactId: conversation.contactId, replyTokenConversationId: conversation.conversationId }),
      strictLookup(conversation),
    );
    expect(decision).toEqual({ kind: 'existing', conversationId: conversation.conversationId, reason: 'reply_token' });
  });

  it('prefers the reply token over references and the thread key', () => {
    const byToken = candidate();
    const byReference = candidate({ contactId: byToken.contactId });
    const decision = sut.decide(
      request({
        senderContactId: byToken.contactId,
        replyTokenConversationId: byToken.conversationId,
        referencedConversationIds: [byReference.conversationId],
        threadKeyConversationIds: [byReference.conversationId],
      }),
      strictLookup(byToken, byReference),
    );
    expect(decision).toMatchObject({ conversationId: byToken.conversationId, reason: 'reply_token' });
  });

  it('opens a new conversation, linked, when a stranger replies with someone else\'s reply token and references', () => {
    const theirs = candidate();
    const decision = sut.decide(
      request({
        replyTokenConversationId: theirs.conversationId,
        referencedConversationIds: [theirs.conversationId],
        threadKeyConversationIds: [theirs.conversationId],
        senderAddresses: ['stranger@example.com'],
      }),
      strictLookup(theirs),
    );
    expect(decision).toEqual({ kind: 'new', reason: 'new:sender_mismatch', linkedConversationId: theirs.conversationId });
  });

  it('lets a known participant (someone in Cc) continue the conversation', () => {
    const conversation = candidate({ participants: new Set(['colleague@example.com']) });
    const decision = sut.decide(
      request({ referencedConversationIds: [conversation.conversationId], senderAddresses: ['colleague@example.com'] }),
      strictLookup(conversation),
    );
    expect(decision).toEqual({ kind: 'existing', conversationId: conversation.conversationId, reason: 'references' });
  });

  it('picks the first referenced conversation the sender belongs to', () => {
    const contactId = randomUUID();
    const strangers = candidate();
    const own = candidate({ contactId });
    const decision = sut.decide(
      request({ senderContactId: contactId, referencedConversationIds: [strangers.conversationId, own.conversationId] }),
      strictLookup(strangers, own),
    );
    expect(decision).toMatchObject({ conversationId: own.conversationId, reason: 'references' });
  });

  it('falls back to the thread key', () => {
    const conversation = candidate();
    const decision = sut.decide(
      request({ senderContactId: conversation.contactId, threadKeyConversationIds: [conversation.conversationId] }),
      strictLookup(conversation),
    );
    expect(decision).toEqual({ kind: 'existing', conversationId: conversation.conversationId, reason: 'thread_key' });
  });

  it('starts over when the matched conversation was resolved longer ago than the inbox allows', () => {
    const conversation = candidate({ status: 'resolved', resolvedAt: new Date('2025-01-01T00:00:00Z') });
    const decision = sut.decide(
      request({
        senderContactId: conversation.contactId,
        referencedConversationIds: [conversation.conversationId],
        newConversationAfterDays: 30,
      }),
      strictLookup(conversation),
    );
    expect(decision).toEqual({ kind: 'new', reason: 'new:expired', linkedConversationId: conversation.conversationId });
  });

  it('reopens a conversation resolved within the limit', () => {
    const conversation = candidate({ status: 'resolved', resolvedAt: new Date('2025-02-20T00:00:00Z') });
    const decision = sut.decide(
      request({
        senderContactId: conversation.contactId,
        threadKeyConversationIds: [conversation.conversationId],
        newConversationAfterDays: 30,
      }),
      strictLookup(conversation),
    );
    expect(decision).toMatchObject({ kind: 'existing', reason: 'thread_key' });
  });

  it('records an invalid reply token as the reason of a new conversation', () => {
    const lookup = strictLookup();
    const decision = sut.decide(request({ replyTokenInvalid: true }), lookup);
    expect(decision).toEqual({ kind: 'new', reason: 'new:invalid_reply_token', linkedConversationId: null });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('opens a new conversation when nothing matches', () => {
    expect(sut.decide(request(), strictLookup())).toEqual({ kind: 'new', reason: 'new', linkedConversationId: null });
  });
});
