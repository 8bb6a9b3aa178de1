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

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** wall-clock weekday (0 = Sunday) and "HH:MM" in `timeZone`, `offsetMinutes` from now */
function localClock(timeZone: string, offsetMinutes: number): { weekday: number; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    new Date(Date.now() + offsetMinutes * 60_000),
  );
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: WEEKDAYS.indexOf(part('weekday')), time: `${part('hour')}:${part('minute')}` };
}

/** a shift from an hour ago to an hour from now, local to `timeZone` (it may wrap past midnight) */
function shiftAroundNow(timeZone: string): { weekday: number; start: string; end: string } {
  const start = localClock(timeZone, -60);
  return { weekday: start.weekday, start: start.time, end: localClock(timeZone, 60).time };
}

/** a shift on the weekday three days from today (UTC): certainly not now */
function shiftOtherDay(): { weekday: number; start: string; end: string } {
  return { weekday: (new Date().getUTCDay() + 3) % 7, start: '09:00', end: '17:00' };
}

interface Row {
  id: string;
  status: string;
  assigneeId: string | null;
}

describe('routing respects operators\u2019 shifts (real Postgres + Kafka)', () => {
  let harness: InboxHarness;
  const admin = { Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': '01a20000-0000-7000-8000-0000000000a1', 'x-actor-role': 'admin' };
  const supervisor = { Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': '01a20000-0000-7000-8000-0000000000a2', 'x-actor-role': 'supervisor' };
  const as = (operatorId: string) => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': operatorId, 'x-actor-role': 'operator' });

  const conversation = (id: string) =>
    harness.db.run((sql) => sql.one<Row>(`SELECT id, status, assignee_id AS "assigneeId" FROM conversations WHERE id = $1`, [id]));

  /** an operator created through the API, then online */
  async function operator(name: string, fields: Record<string, unknown>): Promise<{ id: string; onShift: boolean }> {
    const created = await request(harness.url)
      .post('/internal/v1/operators')
      .set(admin)
      .send({ name, email: `${newId()}@example.test`, password: 'long enough password', role: 'operator', ...fields })
      .expect(201);
    const online = await request(harness.url).put('/internal/v1/me/availability').set(as(created.body.id)).send({ status: 'online' }).expect(200);
    return { id: created.body.id, onShift: online.body.onShift };
  }

  async function members(inboxId: string, operatorIds: string[]): Promise<void> {
    for (const operatorId of operatorIds) {
      await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [inboxId, operatorId]));
    }
  }

  /** a customer writes in `chat`; resolves with the conversation's id once it exists */
  async function writes(inboxId: string, chat: string): Promise<string> {
    const event = inboundEvent({ inboxId, channelType: 'telegram', threadKey: chat, sender: { externalId: `u-${chat}` } });
    await publishInbound(harness.bus, [event]);
    const row = await eventually(
      () =>
        harness.db.run((sql) =>
          sql.one<{ conversationId: string }>(`SELECT conversation_id AS "conversationId" FROM messages WHERE external_id = $1`, [event.data.externalId]),
        ),
      30_000,
      `message ${event.data.externalId} stored`,
    );
    return row.conversationId;
  }

  const assigned = (id: string) =>
    eventually(
      async () => {
        const row = await conversation(id);
        return row?.assigneeId ? row : undefined;
      },
      30_000,
      `assignment of ${id}`,
    );

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '200' } });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('gives work only to the operator on shift (Asia/Tehran), and to the other one once their shift starts', async () => {
    const inboxId = await seedInbox(harness.db, { channelType: 'telegram', routingPolicy: 'balanced', sticky: false });
    const onShift = await operator('On shift', { capacity: 3, timezone: 'Asia/Tehran', shifts: [shiftAroundNow('Asia/Tehran')] });
    const offShift = await operator('Off shift', { capacity: 3, shifts: [shiftOtherDay()] });
    expect([onShift.onShift, offShift.onShift]).toEqual([true, false]);
    await members(inboxId, [onShift.id, offShift.id]);

    // balanced routing would spread three conversations over two idle operators; the off-shift one gets none
    const ids = [await writes(inboxId, 'a'), await writes(inboxId, 'b'), await writes(inboxId, 'c')];
    const rows = await Promise.all(ids.map((id) => assigned(id)));
    expect(rows.map((row) => row.assigneeId)).toEqual([onShift.id, onShift.id, onShift.id]);

    // the on-shift operator is full: the next conversation waits, although the off-shift one is idle and online
    const fourth = await writes(inboxId, 'd');
    expect((await conversation(fourth))?.status).toBe('queued');

    // their shift "starts" (the schedule changes behind routing's back: no trigger, only the timer sweep)
    const shift = shiftAroundNow('UTC');
    await harness.db.run((sql) => sql.exec(`DELETE FROM operator_shifts WHERE operator_id = $1`, [offShift.id]));
    await harness.db.run((sql) =>
      sql.exec(`INSERT INTO operator_shifts (id, operator_id, weekday, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)`, [newId(), offShift.id, shift.weekday, shift.start, shift.end]),
    );
    expect((await assigned(fourth)).assigneeId).toBe(offShift.id);
    const trail = await harness.db.run((sql) =>
      sql.rows<{ data: { load: { onShift: boolean } } }>(`SELECT data FROM conversation_events WHERE conversation_id = $1 AND action = 'assigned'`, [fourth]),
    );
    expect(trail.map((event) => event.data.load.onShift)).toEqual([true]);
  });

  it('does not give a returning customer back to their operator when that operator is off shift (sticky)', async () => {
    const inboxId = await seedInbox(harness.db, { channelType: 'telegram', routingPolicy: 'balanced', sticky: true });
    const first = await seedOperator(harness.db, { name: 'First', availability: 'online' });
    const second = await seedOperator(harness.db, { name: 'Second', availability: 'offline' });
    await members(inboxId, [first, second]);
    const id = await writes(inboxId, 'sticky');
    expect((await assigned(id)).assigneeId).toBe(first);
    await request(harness.url).post(`/internal/v1/conversations/${id}/status`).set(admin).send({ status: 'resolved' }).expect(200);

    // First's shift ends (a schedule for another day only); Second comes online
    await request(harness.url).patch(`/internal/v1/operators/${first}`).set(admin).send({ shifts: [shiftOtherDay()] }).expect(200);
    await harness.db.run((sql) => sql.exec(`UPDATE operators SET availability = 'online' WHERE id = $1`, [second]));

    expect(await writes(inboxId, 'sticky')).toBe(id);
    expect((await assigned(id)).assigneeId).toBe(second);
    const reasons = await harness.db.run((sql) =>
      sql.rows<{ reason: string }>(`SELECT reason FROM conversation_events WHERE conversation_id = $1 AND action = 'assigned' ORDER BY id`, [id]),
    );
    expect(reasons.map((row) => row.reason)).toEqual(['balanced', 'balanced']);
  });

  it('lets a supervisor assign an off-shift operator by hand (an override, recorded as such)', async () => {
    const inboxId = await seedInbox(harness.db, { channelType: 'telegram', routingPolicy: 'balanced' });
    const off = await operator('Night owl', { shifts: [shiftOtherDay()] });
    await members(inboxId, [off.id]);
    const id = await writes(inboxId, 'manual');
    expect((await conversation(id))?.status).toBe('queued');

    const response = await request(harness.url).post(`/internal/v1/conversations/${id}/assign`).set(supervisor).send({ operatorId: off.id }).expect(200);
    expect(response.body.status).toBe('open');
    expect((await conversation(id))?.assigneeId).toBe(off.id);
    const trail = await harness.db.run((sql) =>
      sql.one<{ reason: string; data: { load: { onShift: boolean } } }>(`SELECT reason, data FROM conversation_events WHERE conversation_id = $1 AND action = 'assigned'`, [id]),
    );
    expect(trail).toMatchObject({ reason: 'manual', data: { load: { onShift: false } } });
  });
});
