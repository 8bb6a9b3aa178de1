import { ConversationEventTypes, outboundTopic, Topics } from '@switchboard/common';
import request from 'supertest';
import {
  eventually,
  inboundEvent,
  INTERNAL_TOKEN,
  publishInbound,
  seedInbox,
  seedOperator,
  startInboxHarness,
  TopicRecorder,
  type InboxHarness,
} from '../../__tests__/support/inbox-harness';

interface NotificationData {
  operatorId: string;
  kind: string;
  conversationId: string;
  messageId?: string;
  text: string;
}

/** @mentions in internal notes, on the real inbox service (Postgres + Kafka) */
describe('mentions in notes (real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let events: TopicRecorder;
  let outbound: TopicRecorder;
  let inboxId: string;
  const op = { author: '', dmitry: '', anna: '', supervisor: '', outsider: '' };

  const as = (operatorId: string, role = 'operator') => ({
    Authorization: `Bearer ${INTERNAL_TOKEN}`,
    'x-actor-id': operatorId,
    'x-actor-role': role,
    'x-actor-name': encodeURIComponent('Author'),
  });

  async function operator(name: string, email: string, role = 'operator'): Promise<string> {
    const id = await seedOperator(harness.db, { name, role, availability: 'offline' });
    await harness.db.run((sql) => sql.exec(`UPDATE operators SET email = $2 WHERE id = $1`, [id, email]));
    return id;
  }

  async function customerWrites(chat: string): Promise<string> {
    const event = inboundEvent({ inboxId, channelType: 'telegram', threadKey: chat, sender: { externalId: `user-${chat}`, displayName: `Customer ${chat}` }, text: 'hello' });
    await publishInbound(harness.bus, [event]);
    return eventually(async () => {
      const row = await harness.db.run((sql) =>
        sql.one<{ conversationId: string }>(`SELECT conversation_id AS "conversationId" FROM messages WHERE external_id = $1`, [event.data.externalId]),
      );
      return row?.conversationId;
    });
  }

  const notificationsOf = (messageId: string): NotificationData[] =>
    events
      .ofType(ConversationEventTypes.notification)
      .map((event) => event.data as unknown as NotificationData)
      .filter((data) => data.messageId === messageId);

  /** the message.created event of `messageId` is out: everything of its transaction was published with it */
  const published = (messageId: string) =>
    eventually(
      async () => events.ofType(ConversationEventTypes.messageCreated).some((event) => (event.data.message as { id: string }).id === messageId),
      30_000,
      `message.created of ${messageId}`,
    );

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0' } });
    events = await new TopicRecorder().start(harness.bus, Topics.events);
    outbound = await new TopicRecorder().start(harness.bus, outboundTopic('telegram'));
    inboxId = await seedInbox(harness.db, { channelType: 'telegram' });
    op.author = await operator('Olga Author', 'olga@shop.example');
    op.dmitry = await operator('Дмитрий Кузнецов', 'dmitry.k@shop.example');
    op.anna = await operator('Anna Smith', 'anna.s@shop.example');
    op.supervisor = await operator('Sam Boss', 'sam@shop.example', 'supervisor');
    // not a member of the inbox: may not see the conversation, so is never mentioned
    op.outsider = await operator('Дмитрий Петров', 'dmitry.p@shop.example');
    await harness.db.run((sql) =>
      sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2), ($1, $3), ($1, $4)`, [inboxId, op.author, op.dmitry, op.anna]),
    );
  }, 120_000);

  afterAll(async () => {
    await events?.stop();
    await outbound?.stop();
    await harness?.close();
  });

  it('a note mentioning a colleague by first name notifies them once, with the conversation, the message and the note’s start', async () => {
    const id = await customerWrites('mention-first-name');
    const text = '@Дмитрий посмотри, пожалуйста — клиент ждёт возврат. @дмитрий ' + 'подробности '.repeat(20);
    const note = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(op.author)).send({ text, private: true }).expect(201);

    expect(note.body).toMatchObject({ kind: 'note', private: true, mentions: [{ operatorId: op.dmitry, name: 'Дмитрий Кузнецов' }] });
    await published(note.body.id);
    const notifications = notificationsOf(note.body.id);
    expect(notifications).toEqual([{ operatorId: op.dmitry, kind: 'mention', conversationId: id, messageId: note.body.id, text: expect.any(String) }]);
    expect(Array.from(notifications[0].text).length).toBeLessThanOrEqual(140);
    expect(notifications[0].text.startsWith('@Дмитрий посмотри, пожалуйста')).toBe(true);

    const history = await request(harness.url).get(`/internal/v1/conversations/${id}/messages`).set(as(op.dmitry)).expect(200);
    expect(history.body.find((m: { id: string }) => m.id === note.body.id)).toMatchObject({ mentions: [{ operatorId: op.dmitry, name: 'Дмитрий Кузнецов' }] });
    expect(outbound.records.some((r) => (r.event.data as { messageId?: string }).messageId === note.body.id)).toBe(false);
  });

  it('mentions by e-mail handle and full name, a supervisor outside the inbox included; never the author or someone who cannot see it', async () => {
    const id = await customerWrites('mention-handles');
    const text = '@olga.author (me), @anna_smith, @sam and @dmitry.p please check';
    const note = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(op.author)).send({ text, private: true }).expect(201);

    expect(note.body.mentions).toEqual([
      { operatorId: op.anna, name: 'Anna Smith' },
      { operatorId: op.supervisor, name: 'Sam Boss' },
    ]);
    await published(note.body.id);
    expect(notificationsOf(note.body.id).map((n) => n.operatorId).sort()).toEqual([op.anna, op.supervisor].sort());
  });

  it('a public reply with an @mention notifies no one (it goes to the customer) and lists no mentions', async () => {
    const id = await customerWrites('mention-public');
    const reply = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(op.author)).send({ text: '@Anna_Smith will call you back' }).expect(201);

    expect(reply.body.kind).toBe('message');
    expect(reply.body).not.toHaveProperty('mentions');
    await published(reply.body.id);
    await eventually(async () => outbound.records.some((r) => (r.event.data as { messageId?: string }).messageId === reply.body.id));
    expect(notificationsOf(reply.body.id)).toEqual([]);
  });

  it('a note without a known handle has empty mentions and notifies no one', async () => {
    const id = await customerWrites('mention-none');
    const note = await request(harness.url)
      .post(`/internal/v1/conversations/${id}/messages`)
      .set(as(op.author))
      .send({ text: 'customer wrote from anna.s@shop.example, @nobody knows', private: true })
      .expect(201);

    expect(note.body.mentions).toEqual([]);
    await published(note.body.id);
    expect(notificationsOf(note.body.id)).toEqual([]);
  });

  it('the note and its notifications commit together: a refused note (collision) notifies no one', async () => {
    const id = await customerWrites('mention-collision');
    const history = await request(harness.url).get(`/internal/v1/conversations/${id}/messages`).set(as(op.author)).expect(200);
    const seen = history.body[history.body.length - 1].id;
    const newer = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(op.anna)).send({ text: 'Anna answered' }).expect(201);
    await request(harness.url)
      .post(`/internal/v1/conversations/${id}/messages`)
      .set(as(op.author))
      .send({ text: '@dmitry.k take this one', private: true, afterMessageId: seen })
      .expect(409);

    await published(newer.body.id);
    const marker = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(op.author)).send({ text: 'marker', private: true }).expect(201);
    await published(marker.body.id);
    expect(
      events
        .ofType(ConversationEventTypes.notification)
        .some((event) => (event.data as unknown as NotificationData).conversationId === id),
    ).toBe(false);
  });
});
