import request from 'supertest';
import { INTERNAL_TOKEN, startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';

interface FieldProblem {
  path: string;
  message: string;
}

describe('operators API: weekly shifts and timezone (real Postgres + Kafka)', () => {
  let harness: InboxHarness;
  const admin = { Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': '01a20000-0000-7000-8000-0000000000b1', 'x-actor-role': 'admin' };
  const supervisor = { Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': '01a20000-0000-7000-8000-0000000000b2', 'x-actor-role': 'supervisor' };
  const as = (operatorId: string) => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': operatorId, 'x-actor-role': 'operator' });
  let counter = 0;
  const create = (fields: Record<string, unknown>) =>
    request(harness.url)
      .post('/internal/v1/operators')
      .set(admin)
      .send({ name: `Op ${++counter}`, email: `op-${counter}-${Date.now()}@example.test`, password: 'long enough password', role: 'operator', ...fields });
  const paths = (body: { error: { code: string; details: { fields: FieldProblem[] } } }): string[] => {
    expect(body.error.code).toBe('VALIDATION_FAILED');
    return body.error.details.fields.map((field) => field.path);
  };
  /** the UTC weekday three days from today: a shift then is certainly not now */
  const otherDay = (): number => (new Date().getUTCDay() + 3) % 7;
  const today = (): number => new Date().getUTCDay();

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0' } });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('without a schedule: timezone UTC, no shifts, always on shift', async () => {
    const created = await create({}).expect(201);
    expect(created.body).toMatchObject({ timezone: 'UTC', shifts: [], daysOff: [], onShift: true });
  });

  it('stores the schedule sorted, the timezone as the tz database spells it, and says whether the operator is on shift now', async () => {
    const created = await create({
      timezone: 'asia/tehran',
      shifts: [
        { weekday: 5, start: '22:00', end: '06:00' },
        { weekday: 1, start: '13:00', end: '17:30' },
        { weekday: 1, start: '09:00', end: '12:00' },
      ],
    }).expect(201);
    expect(created.body.timezone).toBe('Asia/Tehran');
    expect(created.body.shifts).toEqual([
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 1, start: '13:00', end: '17:30' },
      { weekday: 5, start: '22:00', end: '06:00' },
    ]);
    expect(typeof created.body.onShift).toBe('boolean');

    const read = await request(harness.url).get(`/internal/v1/operators/${created.body.id}`).set(supervisor).expect(200);
    expect(read.body).toMatchObject({ timezone: 'Asia/Tehran', shifts: created.body.shifts });
    const listed = await request(harness.url).get('/internal/v1/operators').set(supervisor).expect(200);
    expect(listed.body.items.find((item: { id: string }) => item.id === created.body.id)).toMatchObject({ shifts: created.body.shifts, onShift: created.body.onShift });
  });

  it('PATCH replaces the whole schedule; other changes keep it; an empty list means always on shift', async () => {
    const created = await create({ shifts: [{ weekday: otherDay(), start: '09:00', end: '17:00' }] }).expect(201);
    expect(created.body.onShift).toBe(false);
    const id = created.body.id as string;

    const capacity = await request(harness.url).patch(`/internal/v1/operators/${id}`).set(admin).send({ capacity: 7 }).expect(200);
    expect(capacity.body).toMatchObject({ capacity: 7, shifts: created.body.shifts, onShift: false });

    // a 24-hour shift starting today at 00:00 (UTC) covers now
    const replaced = await request(harness.url)
      .patch(`/internal/v1/operators/${id}`)
      .set(admin)
      .send({ shifts: [{ weekday: today(), start: '00:00', end: '00:00' }] })
      .expect(200);
    expect(replaced.body).toMatchObject({ shifts: [{ weekday: today(), start: '00:00', end: '00:00' }], onShift: true });

    // a day off today (UTC, the operator's zone) wins over the shift; the list is replaced, duplicates collapse
    const todayDate = new Date().toISOString().slice(0, 10);
    const off = await request(harness.url)
      .patch(`/internal/v1/operators/${id}`)
      .set(admin)
      .send({ daysOff: ['2099-01-01', todayDate, todayDate] })
      .expect(200);
    expect(off.body).toMatchObject({ daysOff: [todayDate, '2099-01-01'], onShift: false });
    const back = await request(harness.url).patch(`/internal/v1/operators/${id}`).set(admin).send({ daysOff: ['2099-01-01'] }).expect(200);
    expect(back.body).toMatchObject({ daysOff: ['2099-01-01'], onShift: true });

    const cleared = await request(harness.url).patch(`/internal/v1/operators/${id}`).set(admin).send({ shifts: [] }).expect(200);
    expect(cleared.body).toMatchObject({ shifts: [], onShift: true });
    const rows = await harness.db.run((sql) => sql.one<{ n: number }>(`SELECT count(*)::int AS n FROM operator_shifts WHERE operator_id = $1`, [id]));
    expect(rows?.n).toBe(0);

    const zone = await request(harness.url).patch(`/internal/v1/operators/${id}`).set(admin).send({ timezone: 'America/New_York' }).expect(200);
    expect(zone.body.timezone).toBe('America/New_York');

    // the operator sees it on their profile; they cannot change it
    const me = await request(harness.url).get('/internal/v1/me').set(as(id)).expect(200);
    expect(me.body).toMatchObject({ timezone: 'America/New_York', shifts: [], onShift: true });
    await request(harness.url).patch(`/internal/v1/operators/${id}`).set(as(id)).send({ shifts: [] }).expect(403);
    await request(harness.url).patch(`/internal/v1/operators/${id}`).set(supervisor).send({ shifts: [] }).expect(403);
  });

  it('answers 400 naming the failing field: bad times, weekdays, unknown keys, unknown timezones', async () => {
    const badTime = await create({ shifts: [{ weekday: 1, start: '25:00', end: '17:00' }] }).expect(400);
    expect(paths(badTime.body)).toEqual(['shifts.0.start']);

    const several = await create({
      shifts: [
        { weekday: 1, start: '09:00', end: '17:00' },
        { weekday: 7, start: '9:00', end: '17:00:00' },
      ],
    }).expect(400);
    expect(paths(several.body).sort()).toEqual(['shifts.1.end', 'shifts.1.start', 'shifts.1.weekday']);

    const extra = await create({ shifts: [{ weekday: 1, start: '09:00', end: '17:00', note: 'x' }] }).expect(400);
    expect(paths(extra.body)).toEqual(['shifts.0']);

    const days = await create({ daysOff: ['2026-12-25', '2026-02-30'] }).expect(400);
    expect(paths(days.body)).toEqual(['daysOff.1']);

    const zone = await create({ timezone: 'Mars/Olympus_Mons' }).expect(400);
    expect(paths(zone.body)).toEqual(['timezone']);
    // a zone this Node's ICU still knows but Postgres' tz database (which evaluates the shifts) dropped
    const dropped = await create({ timezone: 'US/Pacific-New' }).expect(400);
    expect(paths(dropped.body)).toEqual(['timezone']);

    const existing = await create({}).expect(201);
    const patchTime = await request(harness.url)
      .patch(`/internal/v1/operators/${existing.body.id}`)
      .set(admin)
      .send({ shifts: [{ weekday: 2, start: '08:00', end: '24:00' }] })
      .expect(400);
    expect(paths(patchTime.body)).toEqual(['shifts.0.end']);
    const patchZone = await request(harness.url).patch(`/internal/v1/operators/${existing.body.id}`).set(admin).send({ timezone: 'Not/AZone' }).expect(400);
    expect(paths(patchZone.body)).toEqual(['timezone']);
    // nothing was written by the refused requests
    const unchanged = await request(harness.url).get(`/internal/v1/operators/${existing.body.id}`).set(admin).expect(200);
    expect(unchanged.body).toMatchObject({ timezone: 'UTC', shifts: [] });
  });
});
