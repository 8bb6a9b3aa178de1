import { parseBody, ValidationFailedError } from '@switchboard/common/errors';
import { zodToJsonSchema } from '../../openapi/zod-json-schema';
import { createOperatorSchema, updateOperatorSchema } from '../dto/operator.schemas';

const valid = { name: 'Ann', email: 'ann@example.test', password: 'long enough password', role: 'operator' };

function failingPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).fields.map((field) => field.path).sort();
  }
  throw new Error('expected a validation error');
}

describe('operator schemas (gateway)', () => {
  it('accepts a weekly schedule with a timezone, overnight shifts included, and passes other fields through', () => {
    const body = parseBody(createOperatorSchema, {
      ...valid,
      inboxIds: ['01a20000-0000-7000-8000-000000000001'],
      timezone: 'Asia/Tehran',
      daysOff: ['2026-12-25', '2028-02-29'],
      shifts: [
        { weekday: 0, start: '00:00', end: '23:59' },
        { weekday: 5, start: '22:00', end: '06:00' },
      ],
    });
    expect(body).toMatchObject({ timezone: 'Asia/Tehran', shifts: [{ weekday: 0 }, { weekday: 5, start: '22:00', end: '06:00' }], inboxIds: expect.any(Array) });
    expect(parseBody(updateOperatorSchema, { shifts: [] })).toEqual({ shifts: [] });
  });

  it('names the failing field: shifts.N.start / end / weekday, unknown shift keys, timezone', () => {
    expect(failingPaths(() => parseBody(createOperatorSchema, { ...valid, shifts: [{ weekday: 1, start: '25:00', end: '17:00' }] }))).toEqual(['shifts.0.start']);
    expect(
      failingPaths(() =>
        parseBody(updateOperatorSchema, {
          shifts: [
            { weekday: 1, start: '09:00', end: '17:00' },
            { weekday: -1, start: '9:00', end: '17:60' },
          ],
        }),
      ),
    ).toEqual(['shifts.1.end', 'shifts.1.start', 'shifts.1.weekday']);
    expect(failingPaths(() => parseBody(updateOperatorSchema, { shifts: [{ weekday: 1, start: '09:00', end: '17:00', break: '12:00' }] }))).toEqual(['shifts.0']);
    expect(failingPaths(() => parseBody(updateOperatorSchema, { timezone: 'Mars/Olympus_Mons' }))).toEqual(['timezone']);
    expect(failingPaths(() => parseBody(updateOperatorSchema, { shifts: 'always' }))).toEqual(['shifts']);
    expect(failingPaths(() => parseBody(updateOperatorSchema, { daysOff: ['2026-12-25', '2026-02-30', '25.12.2026', '0000-01-01'] }))).toEqual([
      'daysOff.1',
      'daysOff.2',
      'daysOff.3',
    ]);
  });

  it('documents shifts and timezone in the OpenAPI body', () => {
    const doc = zodToJsonSchema(createOperatorSchema);
    expect(doc.properties?.shifts).toMatchObject({
      type: 'array',
      maxItems: 100,
      items: { type: 'object', required: ['weekday', 'start', 'end'], additionalProperties: false, properties: { weekday: { type: 'integer', minimum: 0, maximum: 6 } } },
    });
    expect(doc.properties?.timezone).toMatchObject({ type: 'string', description: expect.stringContaining('IANA') });
    expect(doc.required).toEqual(['name', 'email', 'password', 'role']);
  });
});
