import { CHANNEL_STATUS_TYPE, ConversationEventTypes, DELIVERY_RECEIPT_TYPE, newEvent, outboundTopic, Topics } from '@switchboard/common';
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

describe('conversations internal API (real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let inboxId: string;
  let operatorA: string;
  let operatorB: string;
  let outbound: TopicRecorder;
  let events: TopicRecorder;

  const as = (operatorId: string, role = 'operator') => ({
    Authorization: `Bearer ${INTERNAL_TOKEN}`,
    'x-actor-id': operatorId,
    'x-actor-role': role,
    'x-actor-name': encodeURIComponent('Ann Operator'),
  });

  /** a customer writes; resolves with the conversation id */
  async function customerWrites(chat: string, text = 'hello'): Promise<string> {
    const event = inboundEvent({ inboxId, channelType: 'telegram', threadKey: chat, sender: { externalId: `user-${chat}`, displayName: `Customer ${chat}` }, text });
    await publishInbound(harness.bus, [event]);
    return eventually(async () => {
      const row = await harness.db.run((sql) =>
        sql.one<{ conversationId: string }>(`SELECT conversation_id AS "conversationId" FROM messages WHERE external_id = $1`, [event.data.externalId]),
      );
      return row?.conversationId;
    });
  }

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0' } });
    outbound = await new TopicRecorder().start(harness.bus, outboundTopic('telegram'));
    events = await new TopicRecorder().start(harness.bus, Topics.events);
    inboxId = await seedInbox(harness.db, { channelType: 'telegram' });
    operatorA = await seedOperator(harness.db, { name: 'Ann', availability: 'offline' });
    operatorB = await seedOperator(harness.db, { name: 'Bob', availability: 'offline' });
    await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2), ($1, $3)`, [inboxId, operatorA, operatorB]));
  }, 120_000);

  afterAll(async () => {
    await outbound?.stop();
    await events?.stop();
    await harness?.close();
  });

  it('refuses calls without the internal token (401)', async () => {
    const response = await request(harness.url).get('/internal/v1/conversations').set('x-actor-role', 'admin');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('INTERNAL_TOKEN_REQUIRED');
  });

  it('lists and searches conversations the operator may see', async () => {
    const id = await customerWrites('search-1', 'Где мой заказ номер 77?');
    const all = await request(harness.url).get('/internal/v1/conversations').set(as(operatorA)).expect(200);
    expect(all.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const found = await request(harness.url).get('/internal/v1/conversations').query({ q: 'заказ' }).set(as(operatorA)).expect(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    const stranger = await seedOperator(harness.db, { name: 'Not a member' });
    const hidden = await request(harness.url).get(`/internal/v1/conversations/${id}`).set(as(stranger)).expect(404);
    expect(hidden.body.error.code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('pages the list with a cursor', async () => {
    for (let i = 0; i < 3; i += 1) await customerWrites(`page-${i}`);
    const first = await request(harness.url).get('/internal/v1/conversations').query({ limit: 2 }).set(as(operatorA)).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(harness.url).get('/internal/v1/conversations').query({ limit: 2, cursor: first.body.nextCursor }).set(as(operatorA)).expect(200);
    const ids = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    await request(harness.url).get('/internal/v1/conversations').query({ cursor: 'garbage' }).set(as(operatorA)).expect(400);
  });

  it('answers 400 naming the failing field', async () => {
    const id = await customerWrites('validation');
    const response = await request(harness.url).post(`/internal/v1/conversations/${id}/status`).set(as(operatorA)).send({ status: 'snoozed' }).expect(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.fields).toEqual([expect.objectContaining({ path: 'until' })]);
    const badPriority = await request(harness.url).patch(`/internal/v1/conversations/${id}`).set(as(operatorA)).send({ priority: 'high' }).expect(400);
    expect(badPriority.body.error.details.fields[0].path).toBe('priority');
    // Postgres cannot store a NUL character: named as the failing field, not a 500 from the insert
    const withNul = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(operatorA)).send({ text: 'a\u0000b' }).expect(400);
    expect(withNul.body.error.details.fields).toEqual([{ path: 'text', message: 'must not contain the NUL character (U+0000)' }]);
  });

  it('refuses a transfer without a summary (400) and keeps the summary as a pinned note', async () => {
    const id = await customerWrites('transfer');
    const refused = await request(harness.url).post(`/internal/v1/conversations/${id}/transfer`).set(as(operatorA)).send({ operatorId: operatorB }).expect(400);
    expect(refused.body.error.details.fields[0].path).toBe('summary');

    const done = await request(harness.url)
      .post(`/internal/v1/conversations/${id}/transfer`)
      .set(as(operatorA))
      .send({ operatorId: operatorB, summary: 'Wants a refund for order 77, already checked the address' })
      .expect(200);
    expect(done.body.assignee).toEqual({ id: operatorB, name: 'Bob' });
    const messages = await request(harness.url).get(`/internal/v1/conversations/${id}/messages`).set(as(operatorB)).expect(200);
    const note = messages.body.find((m: { kind: string }) => m.kind === 'note');
    expect(note).toMatchObject({ pinned: true, private: true, text: 'Wants a refund for order 77, already checked the address' });
    const trail = await request(harness.url).get(`/internal/v1/conversations/${id}/events`).set(as(operatorB)).expect(200);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['transferred', 'assigned']));
  });

  it('replies through the outbox to the channel topic, pending until the delivery receipt', async () => {
    const id = await customerWrites('reply');
    const sent = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(operatorA)).send({ text: 'We are on it' }).expect(201);
    expect(sent.body).toMatchObject({ direction: 'outbound', senderType: 'operator', deliveryStatus: 'pending', text: 'We are on it' });

    const record = await eventually(async () => outbound.records.find((r) => (r.event.data as { messageId?: string }).messageId === sent.body.id));
    expect(record.key).toBe(id);
    expect(record.event.data).toMatchObject({ conversationId: id, inboxId, channelType: 'telegram', recipient: { externalId: 'user-reply' }, text: 'We are on it' });

    const receipt = newEvent(DELIVERY_RECEIPT_TYPE, 'test', {
      status: 'sent',
      messageId: sent.body.id,
      conversationId: id,
      inboxId,
      channelType: 'telegram',
      externalId: 'reply:9001',
      at: new Date().toISOString(),
    });
    await harness.bus.publish(Topics.delivery, [{ key: id, value: JSON.stringify(receipt) }]);
    const updated = await eventually(async () =>
      events.ofType(ConversationEventTypes.messageUpdated).find((e) => (e.data.message as { id: string }).id === sent.body.id),
    );
    expect(updated.data.message).toMatchObject({ deliveryStatus: 'sent', externalId: 'reply:9001' });
  });

  it('records a failed delivery with its reason, and a connector reporting bad credentials on the inbox (a NUL in their texts included)', async () => {
    const id = await customerWrites('failing');
    const sent = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(operatorA)).send({ text: 'Will not arrive' }).expect(201);
    const failed = newEvent(DELIVERY_RECEIPT_TYPE, 'test', {
      status: 'failed',
      messageId: sent.body.id,
      conversationId: id,
      inboxId,
      channelType: 'telegram',
      code: 'PERMISSION',
      reason: 'bot was blocked by the user\u0000',
      permanent: true,
      at: new Date().toISOString(),
    });
    const status = newEvent(CHANNEL_STATUS_TYPE, 'test', { inboxId, channelType: 'telegram', connector: 'telegram-bot', state: 'needs_credentials', reason: '401 Unauthorized\u0000', at: new Date().toISOString() });
    await harness.bus.publish(Topics.delivery, [
      { key: id, value: JSON.stringify(failed) },
      { key: inboxId, value: JSON.stringify(status) },
    ]);
    const updated = await eventually(async () =>
      events.ofType(ConversationEventTypes.messageUpdated).find((e) => (e.data.message as { id: string }).id === sent.body.id),
    );
    // a remote server's text may hold a NUL, which Postgres cannot store: it arrives as U+FFFD
    expect(updated.data.message).toMatchObject({ deliveryStatus: 'failed', failureCode: 'PERMISSION', failureReason: 'bot was blocked by the user\ufffd' });
    const inbox = await eventually(async () => {
      const response = await request(harness.url).get(`/internal/v1/inboxes/${inboxId}`).set(as(operatorA)).expect(200);
      return response.body.channelStatus.state === 'needs_credentials' ? response.body : undefined;
    });
    expect(inbox.channelStatus.reason).toBe('401 Unauthorized\ufffd');
  });

  it('a private note never reaches the channel topic', async () => {
    const id = await customerWrites('note');
    const note = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(operatorA)).send({ text: 'internal only', private: true }).expect(201);
    expect(note.body).toMatchObject({ kind: 'note', private: true });
    const marker = await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(operatorA)).send({ text: 'public' }).expect(201);
    await eventually(async () => outbound.records.some((r) => (r.event.data as { messageId?: string }).messageId === marker.body.id));
    expect(outbound.records.some((r) => (r.event.data as { messageId?: string }).messageId === note.body.id)).toBe(false);
  });

  it('answers 409 COLLISION with the newer messages when someone else wrote since, unless forced', async () => {
    const id = await customerWrites('collision', 'first question');
    const history = await request(harness.url).get(`/internal/v1/conversations/${id}/messages`).set(as(operatorA)).expect(200);
    const seen = history.body[history.body.length - 1].id;
    await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(operatorB)).send({ text: 'Bob answered first' }).expect(201);

    const collision = await request(harness.url)
      .post(`/internal/v1/conversations/${id}/messages`)
      .set(as(operatorA))
      .send({ text: 'Ann answers too', afterMessageId: seen })
      .expect(409);
    expect(collision.body.error.code).toBe('COLLISION');
    expect(collision.body.error.details.messages.map((m: { text: string }) => m.text)).toEqual(['Bob answered first']);

    await request(harness.url).post(`/internal/v1/conversations/${id}/messages`).set(as(operatorA)).send({ text: 'Ann anyway', afterMessageId: seen, force: true }).expect(201);
  });

  it('starts an outbound conversation with a known contact', async () => {
    const first = await customerWrites('outbound-start');
    const detail = await request(harness.url).get(`/internal/v1/conversations/${first}`).set(as(operatorA)).expect(200);
    const started = await request(harness.url)
      .post('/internal/v1/conversations')
      .set(as(operatorA))
      .send({ inboxId, contactId: detail.body.contact.id, text: 'Your parcel has arrived' })
      .expect(201);
    expect(started.body).toMatchObject({ status: 'pending', assignee: { id: operatorA }, message: { deliveryStatus: 'pending' } });
    await eventually(async () => outbound.records.some((r) => (r.event.data as { conversationId?: string }).conversationId === started.body.id));
  });
});
