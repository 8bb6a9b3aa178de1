import { z } from 'zod';
import { isUuid, newId, uuidv4, uuidv7, uuidv7Time } from '../uuid';

describe('uuid helpers', () => {
  it('newId gives a v7 uuid that zod accepts and that carries its creation time', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.string().uuid().safeParse(id).success).toBe(true);
    const time = uuidv7Time(id) ?? 0;
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(after);
  });

  it('ids created one after another sort in creation order, also within one millisecond', () => {
    const fixed = Date.UTC(2025, 0, 1);
    const ids = Array.from({ length: 5000 }, () => uuidv7(fixed));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('later timestamps sort after earlier ones', () => {
    const a = uuidv7(Date.UTC(2030, 0, 1));
    const b = uuidv7(Date.UTC(2030, 0, 2));
    expect(a < b).toBe(true);
    expect(uuidv7Time(b)).toBe(Date.UTC(2030, 0, 2));
  });

  it('uuidv4 is a v4 uuid, isUuid rejects garbage, uuidv7Time ignores non-v7', () => {
    const v4 = uuidv4();
    expect(v4[14]).toBe('4');
    expect(isUuid(v4)).toBe(true);
    expect(isUuid('not-a-uuid')).toBe(false);
    expect(uuidv7Time(v4)).toBeUndefined();
  });
});
