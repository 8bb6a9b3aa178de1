import { abortableSleep, backoffDelay } from '../backoff';

describe('backoff', () => {
  it('doubles from the initial delay up to the ceiling, jitter within its share', () => {
    const policy = { initialMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1000, jitter: 0.2 }, () => 1)).toBe(120);
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1000, jitter: 0.2 }, () => 0)).toBe(80);
  });

  it('ends a sleep as soon as its signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});
