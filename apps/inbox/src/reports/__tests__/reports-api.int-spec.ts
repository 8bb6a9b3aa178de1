import { newId } from '@switchboard/common/ids';
import request from 'supertest';
import { INTERNAL_TOKEN, seedInbox, seedOperator, startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';

interface Group {
  key: string | null;
  name: string | null;
  conversationsCreated: number;
  conversationsResolved: number;
  firstResponse: { count: number; avgSeconds: number | null; p50Seconds: number | null; p90Seconds: number | null };
  resolution: { count: number; avgSeconds: number | null; p50Seconds: number | null; p90Seconds: number | null };
  messagesIn: number;
  messagesOut: number;
}

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-01-02T00:00:00.000Z';

describe('reports internal API (real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let tg: string;
  let mail: string;
  let team: string;
  let ann: string;
  let bob: string;
  let admin: string;
  let contact: string;

  const as = (actorId: string, role = 'operator') => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': actorId, 'x-actor-role': role });

  async function conversation(fields: {
    inbox: string;
    status: string;
    created: string;
    assignee?: string;
    team?: string;
    firstResponseAfter?: number;
    resolvedAfter?: number;
    waitingSince?: string;
  }): Promise<string> {
    const id = newId();
    await harness.db.run((sql) =>
      sql.exec(
        `INSERT INTO conversations (id, inbox_id, contact_id, thread_key, status, assignee_id, team_id, created_at, first_response_at, resolved_at, waiting_since, last_message_at)
         VALUES ($1::uuid, $2, $3, $1::uuid::text, $4, $5, $6, $7::timestamptz,
                 $7::timestamptz + make_interval(secs => $8::float8), $7::timestamptz + make_interval(secs => $9::float8), $10::timestamptz, $7::timestamptz)`,
        [id, fields.inbox, contact, fields.status, fields.assignee ?? null, fields.team ?? null, fields.created, fields.firstResponseAfter ?? null, fields.resolvedAfter ?? null, fields.waitingSince ?? null],
      ),
    );
    return id;
  }

  async function message(conversationId: string, inboxId: string, direction: 'inbound' | 'outbound', at: string, kind = 'message'): Promise<void> {
    await harness.db.run((sql) =>
      sql.exec(
        `INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, kind, text, delivery_status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'x', $7, $8)`,
        [newId(), conversationId, inboxId, direction, direction === 'inbound' ? 'contact' : 'operator', kind, direction === 'inbound' ? 'received' : 'sent', at],
      ),
    );
  }

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0' } });
    team = newId();
    await harness.db.run((sql) => sql.exec(`INSERT INTO teams (id, name) VALUES ($1, 'Alpha')`, [team]));
    tg = await seedInbox(harness.db, { channelType: 'telegram', name: 'TG', routingPolicy: 'manual' });
    mail = await seedInbox(harness.db, { channelType: 'email', name: 'Mail', routingPolicy: 'manual' });
    ann = await seedOperator(harness.db, { name: 'Ann', capacity: 4, availability: 'online' });
    bob = await seedOperator(harness.db, { name: 'Bob', capacity: 2, availability: 'online' });
    await seedOperator(harness.db, { name: 'Cara', availability: 'away' });
    admin = await seedOperator(harness.db, { name: 'Root', role: 'admin', availability: 'offline' });
    contact = newId();
    await harness.db.run((sql) => sql.exec(`INSERT INTO contacts (id, name) VALUES ($1, 'Customer')`, [contact]));

    const c1 = await conversation({ inbox: tg, status: 'resolved', created: '2026-01-01T10:00:00Z', assignee: ann, team, firstResponseAfter: 60, resolvedAfter: 600 });
    await conversation({ inbox: tg, status: 'resolved', created: '2026-01-01T10:10:00Z', assignee: ann, team, firstResponseAfter: 120, resolvedAfter: 1200 });
    const c3 = await conversation({ inbox: mail, status: 'open', created: '2026-01-01T11:00:00Z', assignee: bob, firstResponseAfter: 300 });
    await conversation({ inbox: mail, status: 'queued', created: '2026-01-01T12:00:00Z', waitingSince: '2026-01-01T12:00:00Z' });
    // created before the period, resolved in it
    await conversation({ inbox: tg, status: 'resolved', created: '2025-12-31T23:00:00Z', assignee: ann, firstResponseAfter: 30, resolvedAfter: 7200 });
    // after the period
    const c6 = await conversation({ inbox: tg, status: 'resolved', created: '2026-01-02T01:00:00Z', assignee: ann, firstResponseAfter: 10, resolvedAfter: 20 });
    // live state (now)
    const now = new Date().toISOString();
    await conversation({ inbox: tg, status: 'queued', created: now, waitingSince: now });
    await conversation({ inbox: tg, status: 'pending', created: now, assignee: ann });
    await conversation({ inbox: tg, status: 'bot', created: now });

    await message(c1, tg, 'inbound', '2026-01-01T10:00:00Z');
    await message(c1, tg, 'outbound', '2026-01-01T10:01:00Z');
    await message(c1, tg, 'inbound', '2026-01-01T10:05:00Z');
    await message(c3, mail, 'inbound', '2026-01-01T11:00:00Z');
    await message(c3, mail, 'outbound', '2026-01-01T11:05:00Z');
    await message(c3, mail, 'outbound', '2026-01-01T11:06:00Z', 'note');
    await message(c6, tg, 'inbound', '2026-01-02T01:00:00Z');
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  const summary = (query: Record<string, string>, actor = as(admin, 'admin')) => request(harness.url).get('/internal/v1/reports/summary').query(query).set(actor);

  it('sums the period: created, resolved, first response and resolution times, messages in and out', async () => {
    const response = await summary({ from: FROM, to: TO }).expect(200);
    expect(response.body).toMatchObject({ from: FROM, to: TO, groupBy: null, groups: [] });
    expect(response.body.totals).toEqual({
      conversationsCreated: 4,
      conversationsResolved: 3,
      // 60, 120, 300 s: p90 by linear interpolation = 120 + 0.8 × 180
      firstResponse: { count: 3, avgSeconds: 160, p50Seconds: 120, p90Seconds: 264 },
      // 600, 1200, 7200 s: p90 = 1200 + 0.8 × 6000
      resolution: { count: 3, avgSeconds: 3000, p50Seconds: 1200, p90Seconds: 6000 },
      messagesIn: 3,
      messagesOut: 2,
    });
  });

  it('groups by operator, channel and team', async () => {
    const byOperator = (await summary({ from: FROM, to: TO, groupBy: 'operator' }).expect(200)).body.groups as Group[];
    expect(byOperator.map((g) => [g.key, g.name])).toEqual([
      [ann, 'Ann'],
      [bob, 'Bob'],
      [null, null],
    ]);
    expect(byOperator[0]).toMatchObject({ conversationsCreated: 2, conversationsResolved: 3, firstResponse: { count: 2, avgSeconds: 90, p50Seconds: 90 }, messagesIn: 2, messagesOut: 1 });
    expect(byOperator[0].resolution).toEqual({ count: 3, avgSeconds: 3000, p50Seconds: 1200, p90Seconds: 6000 });
    expect(byOperator[1]).toMatchObject({ conversationsCreated: 1, conversationsResolved: 0, firstResponse: { count: 1, avgSeconds: 300 }, messagesIn: 1, messagesOut: 1 });
    expect(byOperator[2]).toMatchObject({ conversationsCreated: 1, firstResponse: { count: 0, avgSeconds: null, p50Seconds: null, p90Seconds: null } });

    const byChannel = (await summary({ from: FROM, to: TO, groupBy: 'channel' }).expect(200)).body.groups as Group[];
    expect(byChannel.map((g) => [g.key, g.conversationsCreated, g.conversationsResolved, g.messagesIn, g.messagesOut])).toEqual([
      ['email', 2, 0, 1, 1],
      ['telegram', 2, 3, 2, 1],
    ]);

    const byTeam = (await summary({ from: FROM, to: TO, groupBy: 'team' }).expect(200)).body.groups as Group[];
    expect(byTeam.map((g) => [g.name, g.conversationsCreated, g.conversationsResolved])).toEqual([
      ['Alpha', 2, 2],
      [null, 2, 1],
    ]);
    const byInbox = (await summary({ from: FROM, to: TO, groupBy: 'inbox' }).expect(200)).body.groups as Group[];
    expect(byInbox.map((g) => [g.key, g.name, g.conversationsCreated])).toEqual([
      [mail, 'Mail', 2],
      [tg, 'TG', 2],
    ]);
  });

  it('is for supervisors and admins only and validates its query', async () => {
    await summary({ from: FROM, to: TO }, as(admin, 'supervisor')).expect(200);
    const operator = await summary({ from: FROM, to: TO }, as(ann)).expect(403);
    expect(operator.body.error.code).toBe('SUPERVISOR_REQUIRED');
    const reversed = await summary({ from: TO, to: FROM }).expect(400);
    expect(reversed.body.error.details.fields[0].path).toBe('from');
    const badGroup = await summary({ groupBy: 'planet' }).expect(400);
    expect(badGroup.body.error.details.fields[0].path).toBe('groupBy');
    const badDate = await summary({ to: 'yesterday' }).expect(400);
    expect(badDate.body.error.details.fields[0].path).toBe('to');
    await request(harness.url).get('/internal/v1/reports/live').set(as(bob)).expect(403);
  });

  it('shows the live state: queue length, longest wait, bot conversations, online operators, their load and shift', async () => {
    // Bob's only shift is three days from today (UTC): online but off shift
    const offDay = (new Date().getUTCDay() + 3) % 7;
    await harness.db.run((sql) => sql.exec(`INSERT INTO operator_shifts (id, operator_id, weekday, starts_at, ends_at) VALUES ($1, $2, $3, '09:00', '17:00')`, [newId(), bob, offDay]));
    const before = Date.now();
    const response = await request(harness.url).get('/internal/v1/reports/live').set(as(admin, 'admin')).expect(200);
    const after = Date.now();
    const oldest = Date.parse('2026-01-01T12:00:00Z');
    expect(response.body.queue.length).toBe(2);
    expect(response.body.queue.longestWaitSeconds).toBeGreaterThanOrEqual(Math.floor((before - oldest) / 1000) - 1);
    expect(response.body.queue.longestWaitSeconds).toBeLessThanOrEqual(Math.ceil((after - oldest) / 1000) + 1);
    expect(response.body.queue.byInbox.map((q: { inboxId: string; queued: number }) => [q.inboxId, q.queued]).sort()).toEqual([[mail, 1], [tg, 1]].sort());
    expect(response.body.botConversations).toBe(1);
    expect(response.body.operators).toMatchObject({ online: 2, onShift: 1, away: 1, offline: 1 });
    expect(response.body.operators.items).toEqual([
      { id: ann, name: 'Ann', active: 1, capacity: 4, onShift: true, load: 0.25 },
      { id: bob, name: 'Bob', active: 1, capacity: 2, onShift: false, load: 0.5 },
    ]);
  });
});
