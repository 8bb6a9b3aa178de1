import { newId } from '@switchboard/common/ids';
import { createTestDatabase, type TestDatabase } from '@switchboard/testing';
import { InboxDatabase } from '../../persistence/inbox-database';
import { onShiftSql } from '../on-shift.sql';

interface Schedule {
  timezone: string;
  /** [weekday (0 = Sunday), start, end] */
  shifts: Array<[number, string, string]>;
  /** local dates */
  daysOff?: string[];
}

/**
 * Each case: a schedule, then instants (UTC) with whether the operator is on shift then, worked out
 * by hand. Calendar: 2026-11-23 is a Monday (so 11-27 Fri, 11-28 Sat, 11-29 Sun); 2026-07-06 and
 * 2026-01-05 are Mondays too.
 */
const CASES: Array<{ name: string; schedule: Schedule; at: Array<[string, boolean]> }> = [
  {
    name: 'no shifts at all: always on shift',
    schedule: { timezone: 'UTC', shifts: [] },
    at: [
      ['2026-11-23T03:00:00Z', true],
      ['2026-11-29T23:59:00Z', true],
    ],
  },
  {
    name: 'a day shift: start inclusive, end exclusive, that weekday only',
    schedule: { timezone: 'UTC', shifts: [[1, '09:00', '17:30']] },
    at: [
      ['2026-11-23T08:59:59Z', false],
      ['2026-11-23T09:00:00Z', true],
      ['2026-11-23T17:29:59Z', true],
      ['2026-11-23T17:30:00Z', false],
      ['2026-11-24T10:00:00Z', false],
      ['2026-11-30T10:00:00Z', true],
    ],
  },
  {
    name: 'an overnight shift wraps past midnight into the next day',
    schedule: { timezone: 'UTC', shifts: [[5, '22:00', '06:00']] },
    at: [
      ['2026-11-27T21:59:00Z', false],
      ['2026-11-27T22:00:00Z', true],
      ['2026-11-27T23:59:59Z', true],
      ['2026-11-28T00:00:00Z', true],
      ['2026-11-28T05:59:00Z', true],
      ['2026-11-28T06:00:00Z', false],
      ['2026-11-28T23:00:00Z', false],
      ['2026-11-26T23:00:00Z', false],
      ['2026-11-27T03:00:00Z', false],
    ],
  },
  {
    name: 'Saturday night wraps into Sunday (weekday 6 → 0)',
    schedule: { timezone: 'UTC', shifts: [[6, '20:00', '02:00']] },
    at: [
      ['2026-11-28T20:30:00Z', true],
      ['2026-11-29T01:59:00Z', true],
      ['2026-11-29T02:00:00Z', false],
      ['2026-11-23T01:00:00Z', false],
    ],
  },
  {
    name: 'an end of 00:00 means until midnight',
    schedule: { timezone: 'UTC', shifts: [[2, '18:00', '00:00']] },
    at: [
      ['2026-11-24T17:59:00Z', false],
      ['2026-11-24T23:59:00Z', true],
      ['2026-11-25T00:00:00Z', false],
    ],
  },
  {
    name: 'equal start and end: 24 hours from the start',
    schedule: { timezone: 'UTC', shifts: [[3, '08:00', '08:00']] },
    at: [
      ['2026-11-25T07:59:00Z', false],
      ['2026-11-25T08:00:00Z', true],
      ['2026-11-26T07:59:00Z', true],
      ['2026-11-26T08:00:00Z', false],
    ],
  },
  {
    name: 'wall-clock time in the operator timezone (Asia/Tehran, UTC+03:30)',
    schedule: { timezone: 'Asia/Tehran', shifts: [[1, '09:00', '17:00']] },
    at: [
      ['2026-11-23T05:29:00Z', false],
      ['2026-11-23T05:30:00Z', true],
      ['2026-11-23T13:29:00Z', true],
      ['2026-11-23T13:30:00Z', false],
      // Sunday 22:00 UTC is already Monday 01:30 in Tehran: the right day, before the shift
      ['2026-11-22T22:00:00Z', false],
    ],
  },
  {
    name: 'the local weekday decides: Tehran Monday 00:00–02:00 is Sunday evening in UTC',
    schedule: { timezone: 'Asia/Tehran', shifts: [[1, '00:00', '02:00']] },
    at: [
      ['2026-11-22T20:30:00Z', true],
      ['2026-11-22T20:29:00Z', false],
      ['2026-11-23T20:30:00Z', false],
    ],
  },
  {
    name: 'daylight saving moves the shift with the local clock (America/New_York)',
    schedule: { timezone: 'America/New_York', shifts: [[1, '09:00', '17:00']] },
    at: [
      ['2026-07-06T13:00:00Z', true],
      ['2026-07-06T12:59:00Z', false],
      ['2026-01-05T13:00:00Z', false],
      ['2026-01-05T14:00:00Z', true],
      ['2026-01-05T21:59:00Z', true],
      ['2026-01-05T22:00:00Z', false],
    ],
  },
  {
    name: 'a day off (a local date) overrides the weekly shifts for that whole date only',
    schedule: { timezone: 'Asia/Tehran', shifts: [[1, '22:00', '06:00']], daysOff: ['2026-11-23'] },
    at: [
      // Monday 23:00 Tehran (19:30 UTC) is on the day off; Tuesday 01:00 Tehran (21:30 UTC Monday) is not
      ['2026-11-23T19:30:00Z', false],
      ['2026-11-23T21:30:00Z', true],
      ['2026-11-30T19:30:00Z', true],
    ],
  },
  {
    name: 'a day off applies to an operator without shifts too',
    schedule: { timezone: 'UTC', shifts: [], daysOff: ['2026-11-25'] },
    at: [
      ['2026-11-24T23:59:00Z', true],
      ['2026-11-25T00:00:00Z', false],
      ['2026-11-25T23:59:00Z', false],
      ['2026-11-26T00:00:00Z', true],
    ],
  },
  {
    name: 'several shifts: on shift in any of them',
    schedule: {
      timezone: 'UTC',
      shifts: [
        [1, '08:00', '12:00'],
        [1, '13:00', '17:00'],
        [4, '23:00', '01:00'],
      ],
    },
    at: [
      ['2026-11-23T11:00:00Z', true],
      ['2026-11-23T12:30:00Z', false],
      ['2026-11-23T16:00:00Z', true],
      ['2026-11-27T00:30:00Z', true],
      ['2026-11-26T12:00:00Z', false],
    ],
  },
];

describe('onShiftSql: the on-shift condition evaluated by Postgres', () => {
  let database: TestDatabase;
  let db: InboxDatabase;
  const operatorOf = new Map<string, string>();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await InboxDatabase.open({ url: database.url, poolSize: 2 });
    await db.migrate();
    for (const testCase of CASES) {
      const id = newId();
      operatorOf.set(testCase.name, id);
      await db.transaction(async (sql) => {
        await sql.exec(`INSERT INTO operators (id, email, name, role, timezone) VALUES ($1, $2, $3, 'operator', $4)`, [id, `${id}@example.test`, testCase.name, testCase.schedule.timezone]);
        for (const day of testCase.schedule.daysOff ?? []) {
          await sql.exec(`INSERT INTO operator_shift_exceptions (operator_id, day) VALUES ($1, $2)`, [id, day]);
        }
        for (const [weekday, start, end] of testCase.schedule.shifts) {
          await sql.exec(`INSERT INTO operator_shifts (id, operator_id, weekday, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)`, [newId(), id, weekday, start, end]);
        }
      });
    }
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const operatorId = operatorOf.get(testCase.name);
    const seen: Array<[string, boolean]> = [];
    for (const [at] of testCase.at) {
      const row = await db.run((sql) =>
        sql.one<{ onShift: boolean }>(`SELECT ${onShiftSql('o', '$2::timestamptz')} AS "onShift" FROM operators o WHERE o.id = $1`, [operatorId, at]),
      );
      seen.push([at, row?.onShift as boolean]);
    }
    expect(seen).toEqual(testCase.at);
  });

  it('rejects shifts the schedule cannot hold (weekday out of range, seconds)', async () => {
    const id = operatorOf.get(CASES[0].name);
    await expect(
      db.run((sql) => sql.exec(`INSERT INTO operator_shifts (id, operator_id, weekday, starts_at, ends_at) VALUES ($1, $2, 7, '09:00', '10:00')`, [newId(), id])),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.run((sql) => sql.exec(`INSERT INTO operator_shifts (id, operator_id, weekday, starts_at, ends_at) VALUES ($1, $2, 1, '09:00:30', '10:00')`, [newId(), id])),
    ).rejects.toThrow(/check constraint/);
  });
});
