import { RetryPolicy } from '../bus.port';

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 5000 };

/** The subscriber's policy over the defaults, checked. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(partial ?? {}) };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new Error(`retry.maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (policy.initialBackoffMs < 0 || policy.maxBackoffMs < policy.initialBackoffMs) {
    throw new Error('retry backoff must satisfy 0 <= initialBackoffMs <= maxBackoffMs');
  }
  return policy;
}

/** Wait before attempt `failedAttempt + 1`: exponential from initialBackoffMs, capped, with ±20% jitter. */
export function backoffDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const exponential = policy.initialBackoffMs * 2 ** Math.max(0, failedAttempt - 1);
  const capped = Math.min(policy.maxBackoffMs, exponential);
  return Math.min(policy.maxBackoffMs, Math.round(capped * (0.8 + 0.4 * random())));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
