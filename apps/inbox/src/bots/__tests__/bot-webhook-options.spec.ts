import { retryDelayMs } from '../bot-webhook-options';

describe(retryDelayMs.name, () => {
  it('doubles from the base after each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs({ retryBaseMs: 1000 }, attempts))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits more than an hour', () => {
    expect(retryDelayMs({ retryBaseMs: 1000 }, 40)).toBe(3_600_000);
  });
});
