/** Exponential backoff with jitter, and a sleep that an AbortSignal cuts short. */
export interface BackoffPolicy {
  /** delay before the 2nd attempt */
  initialMs: number;
  /** ceiling of any single delay */
  maxMs: number;
  /** growth per attempt (default 2) */
  factor?: number;
  /** +/- share of the delay drawn at random so that many retries do not align (default 0.2) */
  jitter?: number;
}

/** The delay after failed attempt number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const factor = policy.factor ?? 2;
  const jitter = policy.jitter ?? 0.2;
  const base = Math.min(policy.maxMs, policy.initialMs * factor ** Math.max(0, attempt - 1));
  const spread = base * jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(policy.maxMs, Math.round(base + spread)));
}

/** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
