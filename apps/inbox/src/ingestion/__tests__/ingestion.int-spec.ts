import { ConversationEventTypes, INBOUND_MESSAGE_EDITED_TYPE, newEvent, Topics } from '@switchboard/common';
import { ReplyTokenSigner } from '@switchboard/common/crypto';
import request from 'supertest';
import { newId } from '@switchboard/common/ids';
import {
  eventually,
  inboundEvent,
  publishInbound,
  seedInbox,
  startInboxHarness,
  TopicRecorder,
  type InboxHarness,
} from '../../__tests__/support/inbox-harness';

interface MessageRow {
  id: string;
  conversationId: string;
  text: string;
  threadingReason: string;
  externalId: string;
}

interface ConversationRow {
  id: string;
  contactId: string;
  status: string;
  subject: string | null;
  linkedConversationId: string | null;
}

describe('ingestion of inbox.inbound.v1 (real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let events: TopicRecorder;
  let telegramInbox: string;
  let emailInbox: string;

  const messageByExternalId = (inboxId: string, externalId: string) =>
    harness.db.run((sql) =>
      sql.one<MessageRow>(
        `SELECT id, conversation_id AS "conversationId", text, threading_reason AS "threadingReason", external_id AS "externalId"
         FROM messages WHERE inbox_id = $1 AND external_id = $2`,
        [inboxId, externalId],
      ),
    );
  const messagesOf = (conversationId: string) =>
    harness.db.run((sql) =>
      sql.rows<MessageRow>(
        `SELECT id, conversation_id AS "conversationId", text, threading_reason AS "threadingReason", external_id AS "externalId"
         FROM messages WHERE conversation_id = $1 ORDER BY created_at, id`,
        [conversationId],
      ),
    );
  const conversation = (id: string) =>
    harness.db.run((sql) =>
      sql.one<ConversationRow>(
        `SELECT id, contact_id AS "contactId", status, subject, linked_conversation_id AS "linkedConversationId" FROM conversations WHERE id = $1`,
        [id],
      ),
    );
  const stored = (inboxId: string, externalId: string) => eventually(() => messageByExternalId(inboxId, externalId), 60_000, `message ${externalId}`);

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { INBOUND_CONCURRENCY: '3' } });
    events = await new TopicRecorder().start(harness.bus, Topics.events);
    telegramInbox = await seedInbox(harness.db, { channelType: 'telegram' });
    emailInbox = await seedInbox(harness.db, { channelType: 'email', settings: { address: 'support@shop.test' } });
  }, 120_000);

  afterAll(async () => {
    await events?.stop();
    await harness?.close();
  });

  it('stores the same inbound message delivered three times once, with one message.created event', async () => {
    const duplicate = inboundEvent({ inboxId: telegramInbox, channelType: 'telegram', threadKey: 'chat-dup', sender: { externalId: 'user-dup' }, text: 'same' });
    const marker = inboundEvent({ inboxId: telegramInbox, channelType: 'telegram', threadKey: 'chat-dup', sender: { externalId: 'user-dup' }, text: 'marker' });
    await publishInbound(harness.bus, [duplicate]);
    await publishInbound(harness.bus, [duplicate]);
    await publishInbound(harness.bus, [duplicate, marker]);
    const markerRow = await stored(telegramInbox, marker.data.externalId);

    const rows = await harness.db.run((sql) =>
      sql.rows<{ id: string }>(`SELECT id FROM messages WHERE inbox_id = $1 AND external_id = $2`, [telegramInbox, duplicate.data.externalId]),
    );
    expect(rows).toHaveLength(1);
    await eventually(
      async () => events.ofType(ConversationEventTypes.messageCreated).some((e) => (e.data.message as { id: string }).id === markerRow.id),
      30_000,
      'marker event',
    );
    const created = events.ofType(ConversationEventTypes.messageCreated).filter((e) => (e.data.message as { id: string }).id === rows[0].id);
    expect(created).toHaveLength(1);
    expect(markerRow.conversationId).toBe((await messageByExternalId(telegramInbox, duplicate.data.externalId))?.conversationId);
  });

  it('applies a customer edit to the stored message and announces it', async () => {
    const original = inboundEvent({ inboxId: telegramInbox, channelType: 'telegram', threadKey: 'chat-edit', sender: { externalId: 'tg-edit' }, text: 'helo' });
    await publishInbound(harness.bus, [original]);
    const row = await stored(telegramInbox, original.data.externalId);
    const edit = newEvent(INBOUND_MESSAGE_EDITED_TYPE, 'test', {
      inboxId: telegramInbox,
      channelType: 'telegram',
      externalId: original.data.externalId,
      threadKey: 'chat-edit',
      editedAt: new Date().toISOString(),
      text: 'hello',
    });
    await harness.bus.publish(Topics.inbound, [{ key: `${telegramInbox}:chat-edit`, value: JSON.stringify(edit) }]);
    const updated = await eventually(async () =>
      events.ofType(ConversationEventTypes.messageUpdated).find((e) => (e.data.message as { id: string }).id === row.id),
    );
    expect(updated.data.message).toMatchObject({ text: 'hello', editedAt: expect.any(String) });
    expect((await messageByExternalId(telegramInbox, original.data.externalId))?.text).toBe('hello');
  });

  it('threads a chat by its thread key and records why', async () => {
    const first = inboundEvent({ inboxId: telegramInbox, channelType: 'telegram', threadKey: 'chat-42', sender: { externalId: 'tg-42', displayName: 'Ann' } });
    const second = inboundEvent({ inboxId: telegramInbox, channelType: 'telegram', threadKey: 'chat-42', sender: { externalId: 'tg-42' } });
    await publishInbound(harness.bus, [first, second]);
    const a = await stored(telegramInbox, first.data.externalId);
    const b = await stored(telegramInbox, second.data.externalId);
    expect(b.conversationId).toBe(a.conversationId);
    expect(a.threadingReason).toBe('new');
    expect(b.threadingReason).toBe('thread_key');
  });

  describe('email threading', () => {
    const customer = { externalId: 'ann@customer.test', email: 'ann@customer.test', displayName: 'Ann' };
    const stranger = { externalId: 'eve@elsewhere.test', email: 'eve@elsewhere.test', displayName: 'Eve' };
    const colleague = { externalId: 'bob@customer.test', email: 'bob@customer.test', displayName: 'Bob' };
    let firstMessageId: string;
    let annConversation: string;

    beforeAll(async () => {
      firstMessageId = `<${newId()}@customer.test>`;
      const first = inboundEvent({
        inboxId: emailInbox,
        channelType: 'email',
        externalId: firstMessageId,
        threadKey: firstMessageId,
        sender: customer,
        subject: 'My order 1234 with my address',
        text: 'Private details: Main street 1',
        participants: { to: [{ address: 'support@shop.test' }], cc: [{ address: 'bob@customer.test' }], replyTo: [] },
      });
      await publishInbound(harness.bus, [first]);
      annConversation = (await stored(emailInbox, firstMessageId)).conversationId;
    });

    it('continues a conversation by References when the contact replies', async () => {
      const reply = inboundEvent({
        inboxId: emailInbox,
        channelType: 'email',
        threadKey: firstMessageId,
        sender: customer,
        references: [firstMessageId],
        inReplyTo: firstMessageId,
        text: 'Any news?',
      });
      await publishInbound(harness.bus, [reply]);
      const row = await stored(emailInbox, reply.data.externalId);
      expect(row).toMatchObject({ conversationId: annConversation, threadingReason: 'references' });
    });

    it('lets a known participant from Cc continue the conversation', async () => {
      const reply = inboundEvent({ inboxId: emailInbox, channelType: 'email', threadKey: firstMessageId, sender: colleague, references: [firstMessageId] });
      await publishInbound(harness.bus, [reply]);
      expect(await stored(emailInbox, reply.data.externalId)).toMatchObject({ conversationId: annConversation, threadingReason: 'references' });
    });

    it('continues by a signed reply token', async () => {
      const token = new ReplyTokenSigner(harness.secretsKey).sign(annConversation);
      const reply = inboundEvent({ inboxId: emailInbox, channelType: 'email', threadKey: `<${newId()}@customer.test>`, sender: customer, replyToken: token });
      await publishInbound(harness.bus, [reply]);
      expect(await stored(emailInbox, reply.data.externalId)).toMatchObject({ conversationId: annConversation, threadingReason: 'reply_token' });
    });

    it("opens a new conversation for a stranger replying with someone else's References and reply token, exposing nothing of it", async () => {
      const token = new ReplyTokenSigner(harness.secretsKey).sign(annConversation);
      const intrusion = inboundEvent({
        inboxId: emailInbox,
        channelType: 'email',
        threadKey: firstMessageId,
        sender: stranger,
        subject: 'Re: My order 1234 with my address',
        references: [firstMessageId],
        inReplyTo: firstMessageId,
        replyToken: token,
        text: 'What is in this thread?',
      });
      await publishInbound(harness.bus, [intrusion]);
      const row = await stored(emailInbox, intrusion.data.externalId);
      expect(row.conversationId).not.toBe(annConversation);
      expect(row.threadingReason).toBe('new:sender_mismatch');

      const theirs = await conversation(row.conversationId);
      const annsConversation = await conversation(annConversation);
      expect(theirs?.contactId).not.toBe(annsConversation?.contactId);
      expect(theirs?.linkedConversationId).toBe(annConversation);
      const visible = await messagesOf(row.conversationId);
      expect(visible.map((m) => m.text)).toEqual(['What is in this thread?']);

      const strangerEvents = await eventually(async () => {
        const found = events.records.filter((r) => r.key === row.conversationId);
        return found.length >= 2 ? found : undefined;
      });
      const serialized = JSON.stringify(strangerEvents);
      expect(serialized).not.toContain('Main street');
      expect(serialized).not.toContain('Any news?');

      // and Ann's own next reply still lands in her conversation, not the stranger's
      const annAgain = inboundEvent({ inboxId: emailInbox, channelType: 'email', threadKey: firstMessageId, sender: customer, references: [firstMessageId, intrusion.data.externalId] });
      await publishInbound(harness.bus, [annAgain]);
      expect((await stored(emailInbox, annAgain.data.externalId)).conversationId).toBe(annConversation);
    });

    it('an invalid reply token alone opens a new conversation and says so', async () => {
      const forged = inboundEvent({ inboxId: emailInbox, channelType: 'email', sender: customer, replyToken: 'r' + 'a'.repeat(42) });
      await publishInbound(harness.bus, [forged]);
      const row = await stored(emailInbox, forged.data.externalId);
      expect(row.conversationId).not.toBe(annConversation);
      expect(row.threadingReason).toBe('new:invalid_reply_token');
    });
  });

  it('keeps per-conversation order with many partitions consumed in parallel', async () => {
    const threads = 24;
    const perThread = 25;
    const batch = [];
    for (let seq = 0; seq < perThread; seq += 1) {
      for (let thread = 0; thread < threads; thread += 1) {
        batch.push(
          inboundEvent({
            inboxId: telegramInbox,
            channelType: 'telegram',
            threadKey: `order-${thread}`,
            sender: { externalId: `order-user-${thread}` },
            externalId: `order-${thread}-${seq}`,
            text: String(seq),
          }),
        );
      }
    }
    await publishInbound(harness.bus, batch);
    for (let thread = 0; thread < threads; thread += 1) await stored(telegramInbox, `order-${thread}-${perThread - 1}`);

    const firstRows = await Promise.all(Array.from({ length: threads }, (_, thread) => messageByExternalId(telegramInbox, `order-${thread}-0`)));
    const conversationIds = new Set(firstRows.map((row) => row?.conversationId));
    expect(conversationIds.size).toBe(threads);
    for (const conversationId of conversationIds) {
      const rows = await messagesOf(conversationId as string);
      expect(rows.map((row) => Number(row.text))).toEqual(Array.from({ length: perThread }, (_, i) => i));
    }
    // and the events of each conversation come out of the relay in the same order
    await eventually(
      async () => events.ofType(ConversationEventTypes.messageCreated).filter((e) => String((e.data.message as { externalId: string }).externalId).startsWith('order-')).length >= threads * perThread,
      60_000,
      'all order events',
    );
    const seqByConversation = new Map<string, number[]>();
    for (const record of events.records) {
      if (record.event.type !== ConversationEventTypes.messageCreated) continue;
      const message = record.event.data.message as { externalId: string; text: string; conversationId: string };
      if (!message.externalId.startsWith('order-')) continue;
      seqByConversation.set(message.conversationId, [...(seqByConversation.get(message.conversationId) ?? []), Number(message.text)]);
    }
    expect(seqByConversation.size).toBe(threads);
    for (const seqs of seqByConversation.values()) {
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('exposes ingestion metrics on /metrics', async () => {
    const response = await request(harness.url).get('/metrics').expect(200);
    expect(response.text).toMatch(/inbox_ingested_messages_total\{outcome="stored"\} [1-9]/);
    expect(response.text).toMatch(/inbox_ingested_messages_total\{outcome="duplicate"\} [1-9]/);
    expect(response.text).toContain('inbox_outbox_relay_leader 1');
  });

  it('sends a record it cannot parse to the DLQ and goes on', async () => {
    const dlq = await new TopicRecorder().start(harness.bus, Topics.dlq);
    try {
      await harness.bus.publish(Topics.inbound, [{ key: `${telegramInbox}:poison`, value: '{"not":"a cloud event"}' }]);
      const after = inboundEvent({ inboxId: telegramInbox, channelType: 'telegram', threadKey: 'poison', sender: { externalId: 'poison-user' } });
      await publishInbound(harness.bus, [after]);
      await stored(telegramInbox, after.data.externalId);
      await eventually(async () => dlq.records.some((r) => r.key === `${telegramInbox}:poison`), 30_000, 'dlq record');
    } finally {
      await dlq.stop();
    }
  });

  it('stores a message holding NUL characters (which Postgres cannot) with U+FFFD in their place, at once and with its batch', async () => {
    const dlq = await new TopicRecorder().start(harness.bus, Topics.dlq);
    try {
      const before = inboundEvent({ inboxId: emailInbox, channelType: 'email', threadKey: 'nul-before', sender: { externalId: 'nul-a@mail.test', email: 'nul-a@mail.test' }, text: 'before' });
      const withNul = inboundEvent({
        inboxId: emailInbox,
        channelType: 'email',
        threadKey: 'nul\u0000thread',
        sender: { externalId: 'nul-b@mail.test', email: 'nul-b@mail.test', displayName: 'Ni\u0000na' },
        subject: 'Счёт\u0000 №7',
        text: 'bytes from a broken mailer: \u0000\u0000 end',
        html: '<p>a\u0000b</p>',
        references: ['<ref\u0000@mail.test>'],
        channelMetadata: { header: 'x\u0000y', nested: { list: ['\u0000'] } },
        attachments: [],
      });
      const after = inboundEvent({ inboxId: emailInbox, channelType: 'email', threadKey: 'nul-after', sender: { externalId: 'nul-c@mail.test', email: 'nul-c@mail.test' }, text: 'after' });
      const started = Date.now();
      await publishInbound(harness.bus, [before, withNul, after]);
      const row = await stored(emailInbox, withNul.data.externalId);
      await stored(emailInbox, after.data.externalId);
      // not after the retries that end in handling the batch message by message (seconds of backoff)
      expect(Date.now() - started).toBeLessThan(5000);
      expect(row.text).toBe('bytes from a broken mailer: \ufffd\ufffd end');
      const extra = await harness.db.run((sql) =>
        sql.one<{ subject: string; html: string; references: string[]; metadata: unknown; contact: string; threadKey: string }>(
          `SELECT m.subject, m.html, m."references", m.channel_metadata AS metadata, ct.name AS contact, c.thread_key AS "threadKey"
           FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts ct ON ct.id = c.contact_id WHERE m.id = $1`,
          [row.id],
        ),
      );
      expect(extra).toEqual({
        subject: 'Счёт\ufffd №7',
        html: '<p>a\ufffdb</p>',
        references: ['<ref\ufffd@mail.test>'],
        metadata: { header: 'x\ufffdy', nested: { list: ['\ufffd'] } },
        contact: 'Ni\ufffdna',
        threadKey: 'nul\ufffdthread',
      });
      // (the recorder reads the DLQ from its start: an earlier test's poison record is there)
      expect(dlq.records.filter((r) => r.key.startsWith(`${emailInbox}:`))).toEqual([]);
    } finally {
      await dlq.stop();
    }
  });
});
