import { newId } from '@switchboard/common/ids';
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
} from '../../__tests__/support/inbox-harness';

const OPERATORS = 20;
const CAPACITY = 3;
const CONVERSATIONS = 500;

interface AssignedEvent {
  conversationId: string;
  data: { to: { assigneeId: string }; load: { active: number; capacity: number; availability: string } };
}

describe('assignment under concurrency: two inbox instances, one database', () => {
  let harness: InboxHarness;
  let inboxId: string;
  const operatorIds: string[] = [];

  const headers = (actorId: string, role: string) => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': actorId, 'x-actor-role': role });

  beforeAll(async () => {
    harness = await startInboxHarness({ instances: 2, env: { ROUTING_SWEEP_MS: '100', ROUTING_WORKERS: '4', INBOUND_CONCURRENCY: '3' } });
    inboxId = await seedInbox(harness.db, { channelType: 'webchat' });
    for (let index = 0; index < OPERATORS; index += 1) {
      operatorIds.push(await seedOperator(harness.db, { name: `Op ${index}`, capacity: CAPACITY, availability: index < 12 ? 'online' : 'offline' }));
    }
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('never puts an operator above capacity, never assigns a conversation twice, and assigns every one as capacity frees', async () => {
    const admin = newId();
    const violations: unknown[] = [];
    let sampling = true;
    let samples = 0;
    const sampler = (async () => {
      while (sampling) {
        const over = await harness.db.run((sql) =>
          sql.rows<{ id: string; active: number; capacity: number }>(
            `SELECT o.id, o.capacity, count(c.id)::int AS active
             FROM operators o JOIN conversations c ON c.assignee_id = o.id AND c.status IN ('open', 'pending', 'snoozed')
             GROUP BY o.id HAVING count(c.id) > o.capacity`,
          ),
        );
        samples += 1;
        violations.push(...over);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    await publishInbound(
      harness.bus,
      Array.from({ length: CONVERSATIONS }, (_, index) =>
        inboundEvent({ inboxId, channelType: 'webchat', threadKey: `visitor-${index}`, sender: { externalId: `visitor-${index}` }, text: `help ${index}` }),
      ),
    );
    await eventually(
      async () => (await harness.db.run((sql) => sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM conversations`)))?.n === CONVERSATIONS,
      60_000,
      'all conversations ingested',
    );

    const urls = harness.instances.map((instance) => instance.url);
    for (let round = 0; ; round += 1) {
      if (round === 3) {
        // mid-way: six online operators leave, six offline ones arrive, through both instances
        for (let index = 0; index < 6; index += 1) {
          await request(urls[index % 2]).put('/internal/v1/me/availability').set(headers(operatorIds[index], 'operator')).send({ status: 'offline' }).expect(200);
          await request(urls[(index + 1) % 2]).put('/internal/v1/me/availability').set(headers(operatorIds[12 + index], 'operator')).send({ status: 'online' }).expect(200);
        }
      }
      if (round === 8) {
        for (let index = 0; index < 6; index += 1) {
          await request(urls[index % 2]).put('/internal/v1/me/availability').set(headers(operatorIds[index], 'operator')).send({ status: 'online' }).expect(200);
        }
      }
      const state = await harness.db.run((sql) =>
        sql.one<{ queued: number; open: number }>(
          `SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued, count(*) FILTER (WHERE status = 'open')::int AS open FROM conversations`,
        ),
      );
      if (state?.queued === 0) break;
      if (round > 400) throw new Error(`routing did not drain the queue: ${JSON.stringify(state)}`);
      // operators finish some of their conversations, through both instances at once
      const open = await harness.db.run((sql) => sql.rows<{ id: string }>(`SELECT id FROM conversations WHERE status = 'open' ORDER BY random() LIMIT 24`));
      await Promise.all(
        open.map((row, index) =>
          request(urls[index % 2]).post(`/internal/v1/conversations/${row.id}/status`).set(headers(admin, 'admin')).send({ status: 'resolved' }).expect(200),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    sampling = false;
    await sampler;

    expect(samples).toBeGreaterThan(10);
    expect(violations).toEqual([]);

    const assigned = await harness.db.run((sql) =>
      sql.rows<AssignedEvent>(`SELECT conversation_id AS "conversationId", data FROM conversation_events WHERE action = 'assigned' ORDER BY id`),
    );
    // every conversation was assigned, exactly once
    const perConversation = new Map<string, number>();
    for (const event of assigned) perConversation.set(event.conversationId, (perConversation.get(event.conversationId) ?? 0) + 1);
    expect(perConversation.size).toBe(CONVERSATIONS);
    expect([...perConversation.values()].filter((count) => count !== 1)).toEqual([]);
    // each decision saw, under the operator's row lock, an online operator with room
    const bad = assigned.filter((event) => event.data.load.availability !== 'online' || event.data.load.active >= event.data.load.capacity);
    expect(bad).toEqual([]);
    // both instances did assignments (the work was really concurrent)
    expect(new Set(assigned.map((event) => event.data.to.assigneeId)).size).toBeGreaterThan(12);
  }, 300_000);
});
