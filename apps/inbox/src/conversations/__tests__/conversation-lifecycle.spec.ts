import { randomUUID } from 'node:crypto';
import { ConversationLifecycle, type InboxPolicy } from '../conversation-lifecycle';
import type { ConversationEntity } from '../../persistence/entities/conversation.entity';

const policy = (overrides: Partial<InboxPolicy> = {}): InboxPolicy => ({
  botId: null,
  defaultTeamId: null,
  sticky: true,
  firstResponseSlaSeconds: 600,
  resolutionSlaSeconds: null,
  ...overrides,
});

describe(ConversationLifecycle.name, () => {
  const sut = new ConversationLifecycle();
  const at = new Date('2025-03-01T12:00:00Z');

  function fresh(overrides: Partial<InboxPolicy> = {}, autoReply = false): ConversationEntity {
    return sut.openFromInbound(
      { id: randomUUID(), inboxId: randomUUID(), contactId: randomUUID(), threadKey: 't', subject: null, at, autoReply, linkedConversationId: null },
      policy(overrides),
    );
  }

  it('queues a new conversation and starts its clock', () => {
    const conversation = fresh();
    expect(conversation.status).toBe('queued');
    expect(conversation.waitingSince).toEqual(at);
    expect(conversation.firstResponseDueAt).toEqual(new Date(at.getTime() + 600_000));
  });

  it('hands a new conversation to the inbox bot', () => {
    expect(fresh({ botId: randomUUID() }).status).toBe('bot');
  });

  it('an auto-reply starts no clock', () => {
    const conversation = fresh({}, true);
    expect(conversation.waitingSince).toBeNull();
    expect(conversation.firstResponseDueAt).toBeNull();
  });

  it('reopens a resolved conversation to the queue, preferring the previous operator when sticky', () => {
    const operatorId = randomUUID();
    const conversation = fresh();
    conversation.assigneeId = operatorId;
    conversation.status = 'open';
    sut.resolve(conversation, at);
    expect(conversation.assigneeId).toBeNull();
    expect(conversation.previousAssigneeId).toBe(operatorId);

    const transition = sut.applyInbound(conversation, new Date(at.getTime() + 1000), false, 'again', policy());
    expect(transition).toEqual({ from: 'resolved', to: 'queued', reason: 'reopened' });
    expect(conversation.preferredAssigneeId).toBe(operatorId);
    expect(conversation.waitingSince).not.toBeNull();
  });

  it('reopens without a preference when the inbox is not sticky', () => {
    const conversation = fresh();
    conversation.assigneeId = randomUUID();
    sut.resolve(conversation, at);
    sut.applyInbound(conversation, at, false, 'again', policy({ sticky: false }));
    expect(conversation.preferredAssigneeId).toBeNull();
  });

  it('an auto-reply never reopens a resolved conversation', () => {
    const conversation = fresh();
    sut.resolve(conversation, at);
    expect(sut.applyInbound(conversation, at, true, 'Out of office', policy())).toBeNull();
    expect(conversation.status).toBe('resolved');
    expect(conversation.waitingSince).toBeNull();
  });

  it('a customer answer brings a pending conversation back to its operator', () => {
    const conversation = fresh();
    conversation.assigneeId = randomUUID();
    conversation.status = 'pending';
    conversation.waitingSince = null;
    expect(sut.applyInbound(conversation, at, false, 'hi', policy())).toEqual({ from: 'pending', to: 'open', reason: 'inbound_message' });
    expect(conversation.waitingSince).toEqual(at);
  });

  it('an outbound message stops the clock and records the first response once', () => {
    const conversation = fresh();
    const first = new Date(at.getTime() + 5000);
    sut.applyOutbound(conversation, first, 'hello');
    sut.applyOutbound(conversation, new Date(at.getTime() + 9000), 'again');
    expect(conversation.waitingSince).toBeNull();
    expect(conversation.firstResponseAt).toEqual(first);
  });
});
