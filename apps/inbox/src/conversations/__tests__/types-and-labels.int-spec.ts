import { ConversationEventTypes, Topics } from '@switchboard/common';
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

/** PATCH type / labels, their audit trail and events, and the list filters (real Kafka + Postgres) */
describe('conversation types and labels (real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let events: TopicRecorder;
  let inboxId: string;
  let member: string;
  let stranger: string;

  const as = (operatorId: string) => ({
    Authorization: `Bearer ${INTERNAL_TOKEN}`,
    'x-actor-id': operatorId,
    'x-actor-role': 'operator',
    'x-actor-name': encodeURIComponent('Ann'),
  });

  async function customerWrites(chat: string): Promise<string> {
    const event = inboundEvent({ inboxId, channelType: 'telegram', threadKey: chat, sender: { externalId: `user-${chat}` }, text: 'hello' });
    await publishInbound(harness.bus, [event]);
    return eventually(async () => {
      const row = await harness.db.run((sql) =>
        sql.one<{ conversationId: string }>(`SELECT conversation_id AS "conversationId" FROM messages WHERE external_id = $1`, [event.data.externalId]),
      );
      return row?.conversationId;
    });
  }

  const patch = (id: string, body: unknown, who = member) => request(harness.url).patch(`/internal/v1/conversations/${id}`).set(as(who)).send(body as object);
  const list = async (query: Record<string, string>): Promise<string[]> =>
    (await request(harness.url).get('/internal/v1/conversations').query({ inboxId, ...query }).set(as(member)).expect(200)).body.items.map((c: { id: string }) => c.id);

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0' } });
    events = await new TopicRecorder().start(harness.bus, Topics.events);
    inboxId = await seedInbox(harness.db, { channelType: 'telegram' });
    member = await seedOperator(harness.db, { name: 'Ann', availability: 'offline' });
    stranger = await seedOperator(harness.db, { name: 'Not a member', availability: 'offline' });
    await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [inboxId, member]));
  }, 120_000);

  afterAll(async () => {
    await events?.stop();
    await harness?.close();
  });

  it('sets the type and labels (trimmed, deduplicated), records them in the audit trail and emits conversation.updated', async () => {
    const id = await customerWrites('type-labels');
    const updated = await patch(id, { type: 'complaint', labels: ['  VIP ', 'refund', 'VIP', 'возврат'] }).expect(200);
    expect(updated.body).toMatchObject({ id, type: 'complaint', labels: ['VIP', 'refund', 'возврат'] });

    const trail = await request(harness.url).get(`/internal/v1/conversations/${id}/events`).set(as(member)).expect(200);
    const change = trail.body.items.find((e: { action: string }) => e.action === 'updated');
    expect(change).toMatchObject({ actorType: 'operator', actorId: member, data: { type: 'complaint', labels: ['VIP', 'refund', 'возврат'] } });

    const event = await eventually(
      async () =>
        events
          .ofType(ConversationEventTypes.conversationUpdated)
          .find((e) => (e.data.conversation as { id: string; type: string | null }).id === id && (e.data.conversation as { type: string | null }).type === 'complaint'),
      30_000,
      'conversation.updated with the new type',
    );
    expect(event.data.conversation).toMatchObject({ labels: ['VIP', 'refund', 'возврат'] });
    expect(event.data.change).toMatchObject({ action: 'updated', actor: member });

    // each of the four types is accepted, and null clears it
    for (const type of ['question', 'claim', 'request']) expect((await patch(id, { type }).expect(200)).body.type).toBe(type);
    expect((await patch(id, { type: null }).expect(200)).body.type).toBeNull();
    expect((await patch(id, { labels: [] }).expect(200)).body.labels).toEqual([]);
  });

  it('refuses a bad type or bad labels with 400 naming the field, and changes nothing', async () => {
    const id = await customerWrites('bad-labels');
    await patch(id, { type: 'request', labels: ['keep'] }).expect(200);
    const cases: Array<[unknown, string]> = [
      [{ type: 'bug' }, 'type'],
      [{ labels: ['ok', '   '] }, 'labels.1'],
      [{ labels: ['x'.repeat(51)] }, 'labels.0'],
      [{ labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, 'labels'],
      [{ labels: 'VIP' }, 'labels'],
      [{ labels: [7] }, 'labels.0'],
    ];
    for (const [body, path] of cases) {
      const refused = await patch(id, body).expect(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
      expect(refused.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(path);
    }
    // the limits themselves are allowed
    const longest = 'y'.repeat(50);
    const twenty = Array.from({ length: 20 }, (_, i) => (i === 0 ? longest : `label-${i}`));
    expect((await patch(id, { labels: twenty }).expect(200)).body.labels).toEqual(twenty);

    const detail = await request(harness.url).get(`/internal/v1/conversations/${id}`).set(as(member)).expect(200);
    expect(detail.body).toMatchObject({ type: 'request', labels: twenty });
  });

  it('does not let an operator outside the inbox change it (404)', async () => {
    const id = await customerWrites('stranger-patch');
    const refused = await patch(id, { type: 'claim' }, stranger).expect(404);
    expect(refused.body.error.code).toBe('CONVERSATION_NOT_FOUND');
    const detail = await request(harness.url).get(`/internal/v1/conversations/${id}`).set(as(member)).expect(200);
    expect(detail.body.type).toBeNull();
  });

  it('filters the list by type and by label', async () => {
    const complaint = await customerWrites('filter-complaint');
    const question = await customerWrites('filter-question');
    const untyped = await customerWrites('filter-untyped');
    await patch(complaint, { type: 'complaint', labels: ['Доставка', 'urgent'] }).expect(200);
    await patch(question, { type: 'question', labels: ['urgent'] }).expect(200);

    const complaints = await list({ type: 'complaint' });
    expect(complaints).toContain(complaint);
    expect(complaints).not.toContain(question);
    expect(complaints).not.toContain(untyped);

    const urgent = await list({ label: 'urgent' });
    expect(urgent).toEqual(expect.arrayContaining([complaint, question]));
    expect(urgent).not.toContain(untyped);
    expect(await list({ label: 'Доставка' })).toEqual([complaint]);
    expect(await list({ label: 'urgent', type: 'question' })).toEqual([question]);
    expect(await list({ label: 'no-such-label' })).toEqual([]);

    const refused = await request(harness.url).get('/internal/v1/conversations').query({ type: 'bug' }).set(as(member)).expect(400);
    expect(refused.body.error.details.fields[0].path).toBe('type');
  });
});
