import request from 'supertest';
import {
  eventually,
  inboundEvent,
  INTERNAL_TOKEN,
  publishInbound,
  seedInbox,
  seedOperator,
  startInboxHarness,
  type InboxHarness,
  type SeedInboxOptions,
} from '../../__tests__/support/inbox-harness';

interface Row {
  id: string;
  status: string;
  assigneeId: string | null;
  waitingSince: Date | null;
}

describe('reopen policy, sticky return and the unanswered timeout', () => {
  let harness: InboxHarness;
  const admin = { Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': '01a20000-0000-7000-8000-000000000001', 'x-actor-role': 'admin' };

  const conversation = (id: string) =>
    harness.db.run((sql) =>
      sql.one<Row>(`SELECT id, status, assignee_id AS "assigneeId", waiting_since AS "waitingSince" FROM conversations WHERE id = $1`, [id]),
    );
  const availability = (operatorId: string, status: string) =>
    harness.db.run((sql) => sql.exec(`UPDATE operators SET availability = $2 WHERE id = $1`, [operatorId, status]));

  /** a fresh inbox with its own two operators (A online, B offline unless said otherwise) */
  async function setup(options: SeedInboxOptions & { channelType?: string } = {}) {
    const inboxId = await seedInbox(harness.db, { channelType: 'telegram', ...options });
    const a = await seedOperator(harness.db, { name: 'A', availability: 'online' });
    const b = await seedOperator(harness.db, { name: 'B', availability: 'offline' });
    await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2), ($1, $3)`, [inboxId, a, b]));
    const writes = async (chat: string, extra: { autoReply?: boolean } = {}) => {
      const event = inboundEvent({ inboxId, channelType: options.channelType ?? 'telegram', threadKey: chat, sender: { externalId: `u-${chat}` }, ...extra });
      await publishInbound(harness.bus, [event]);
      return eventually(async () => {
        const row = await harness.db.run((sql) =>
          sql.one<{ conversationId: string; threadingReason: string }>(
            `SELECT conversation_id AS "conversationId", threading_reason AS "threadingReason" FROM messages WHERE external_id = $1`,
            [event.data.externalId],
          ),
        );
        return row;
      });
    };
    return { inboxId, a, b, writes };
  }

  const assignedTo = (id: string, operatorId: string) =>
    eventually(async () => (await conversation(id))?.assigneeId === operatorId, 30_000, `assignment to ${operatorId}`);
  const resolve = (id: string) => request(harness.url).post(`/internal/v1/conversations/${id}/status`).set(admin).send({ status: 'resolved' }).expect(200);

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '200' } });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('gives a returning customer back to their operator when sticky and available', async () => {
    const { a, b, writes } = await setup({ sticky: true });
    const { conversationId } = await writes('sticky');
    await assignedTo(conversationId, a);
    await resolve(conversationId);
    await availability(b, 'online'); // B is now the better balanced choice (never assigned)

    const again = await writes('sticky');
    expect(again).toEqual({ conversationId, threadingReason: 'thread_key' });
    await assignedTo(conversationId, a);
    const trail = await harness.db.run((sql) =>
      sql.rows<{ action: string; reason: string }>(`SELECT action, reason FROM conversation_events WHERE conversation_id = $1 ORDER BY id`, [conversationId]),
    );
    expect(trail).toEqual(expect.arrayContaining([{ action: 'status_changed', reason: 'reopened' }, { action: 'assigned', reason: 'sticky' }]));
  });

  it('queues for anyone else when the previous operator is offline', async () => {
    const { a, b, writes } = await setup({ sticky: true });
    const { conversationId } = await writes('away');
    await assignedTo(conversationId, a);
    await resolve(conversationId);
    await availability(a, 'offline');
    await availability(b, 'online');
    await writes('away');
    await assignedTo(conversationId, b);
  });

  it('does not prefer the previous operator when the inbox is not sticky', async () => {
    const { a, b, writes } = await setup({ sticky: false });
    const { conversationId } = await writes('loose');
    await assignedTo(conversationId, a);
    await resolve(conversationId);
    await availability(b, 'online');
    await writes('loose');
    await assignedTo(conversationId, b); // balanced tie → B waited longer (never assigned)
  });

  it('an auto-reply neither reopens a resolved conversation nor starts its clock', async () => {
    const { a, writes } = await setup();
    const { conversationId } = await writes('ooo');
    await assignedTo(conversationId, a);
    await resolve(conversationId);
    const auto = await writes('ooo', { autoReply: true });
    expect(auto.conversationId).toBe(conversationId);
    expect(await conversation(conversationId)).toMatchObject({ status: 'resolved', waitingSince: null });
  });

  it('starts a new conversation when the old one was resolved longer ago than the inbox allows', async () => {
    const { a, writes } = await setup({ newConversationAfterDays: 7 });
    const { conversationId } = await writes('old');
    await assignedTo(conversationId, a);
    await resolve(conversationId);
    await harness.db.run((sql) => sql.exec(`UPDATE conversations SET resolved_at = now() - interval '8 days' WHERE id = $1`, [conversationId]));
    const next = await writes('old');
    expect(next.conversationId).not.toBe(conversationId);
    expect(next.threadingReason).toBe('new:expired');
    expect(await conversation(conversationId)).toMatchObject({ status: 'resolved' });
  });

  it('takes a conversation left unanswered past the limit back to the queue, to someone else', async () => {
    const { a, b, writes } = await setup({ unansweredTimeoutSeconds: 1 });
    const { conversationId } = await writes('slow');
    await assignedTo(conversationId, a);
    await availability(b, 'online');
    await assignedTo(conversationId, b);
    const trail = await harness.db.run((sql) =>
      sql.rows<{ action: string; reason: string }>(`SELECT action, reason FROM conversation_events WHERE conversation_id = $1 ORDER BY id`, [conversationId]),
    );
    expect(trail).toEqual(expect.arrayContaining([{ action: 'unassigned', reason: 'unanswered_timeout' }]));
  });
});
