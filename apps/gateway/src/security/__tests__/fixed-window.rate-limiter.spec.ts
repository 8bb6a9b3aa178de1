import { FixedWindowRateLimiter } from '../fixed-window.rate-limiter';

describe(FixedWindowRateLimiter.name, () => {
  it('allows `limit` hits per key per window, then answers with the seconds left', () => {
    let now = 0;
    const sut = new FixedWindowRateLimiter(2, 60_000, () => now);
    expect(sut.hit('a').allowed).toBe(true);
    expect(sut.hit('a').allowed).toBe(true);
    now = 15_000;
    expect(sut.hit('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 45 });
    expect(sut.hit('b').allowed).toBe(true);
    now = 60_000;
    expect(sut.hit('a').allowed).toBe(true);
  });
});
