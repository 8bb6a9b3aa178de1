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

  it('previews a message as its whitespace-flattened start, at most 200 characters, long or short, mostly blank or not, whatever the kind of white space', () => {
    const reference = (text: string): string => {
      const flat = text.replace(/\s+/g, ' ').trim();
      return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
    };
    let seed = 7;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const pieces = ['word', 'заказ', ' ', '  ', '\n\n', '\t', ' '.repeat(300), 'x'.repeat(250), 'سلام', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b', '\u0085', '\v\f\r', '📦'];
    const texts = ['', '   ', 'short', ' '.repeat(5000) + 'late start', 'a'.repeat(5000), `${'\n'.repeat(900)}b`, 'x'.repeat(199), 'x'.repeat(200), 'x'.repeat(201), `${'x'.repeat(199)} y`, `${'x'.repeat(200)} `];
    for (let index = 0; index < 1000; index += 1) {
      texts.push(Array.from({ length: Math.floor(random() * 200) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
    }
    for (const text of texts) {
      const conversation = fresh();
      sut.applyInbound(conversation, at, false, text, policy());
      expect(conversation.lastMessagePreview).toBe(reference(text));
    }
  });

  it('lists in INBOUND_FIELDS every field applyInbound changes (ingestion writes back only those)', () => {
    const statuses = ['bot', 'queued', 'open', 'pending', 'snoozed', 'resolved'] as const;
    const changed = new Set<string>();
    for (const status of statuses) {
      for (const inboxPolicy of [policy(), policy({ botId: randomUUID(), sticky: false, resolutionSlaSeconds: 3600 })]) {
        for (const autoReply of [false, true]) {
          for (const waiting of [true, false]) {
            const conversation = fresh();
            Object.assign(conversation, {
              status,
              assigneeId: randomUUID(),
              assignedAt: at,
              previousAssigneeId: randomUUID(),
              requeuedFromId: randomUUID(),
              snoozedUntil: new Date(at.getTime() + 1000),
              resolvedAt: status === 'resolved' ? at : null,
              firstResponseAt: at,
              waitingSince: waiting ? at : null,
            });
            const before: Record<string, unknown> = { ...conversation };
            sut.applyInbound(conversation, new Date(at.getTime() + 60_000), autoReply, 'hello', inboxPolicy);
            for (const [key, value] of Object.entries(conversation)) {
              if (JSON.stringify(value) !== JSON.stringify(before[key])) changed.add(key);
            }
          }
        }
      }
    }
    expect(changed.size).toBeGreaterThan(10);
    expect([...changed].filter((field) => !(ConversationLifecycle.INBOUND_FIELDS as readonly string[]).includes(field))).toEqual([]);
  });

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
