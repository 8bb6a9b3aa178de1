import { BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { CheckResult, READINESS_CHECKS, ReadinessCheck, ReadinessReport } from './readiness-check';

const DEFAULT_TIMEOUT_MS = 3000;

/**
 * The checks /readyz runs. Checks come from HealthModule.forRoot({ checks }) or are added by any
 * module (the registry is global): `constructor(readiness: ReadinessRegistry) { readiness.register(check) }`.
 * Once the app starts shutting down it reports not ready, so load balancers stop sending traffic.
 */
@Injectable()
export class ReadinessRegistry implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  constructor(@Optional() @Inject(READINESS_CHECKS) initial: ReadinessCheck[] | null) {
    for (const check of initial ?? []) this.register(check);
  }

  /** Adds (or replaces, by name) a check. */
  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  /** Runs every check in parallel, each bounded by `timeoutMs`. */
  async run(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (check) => [check.name, await runOne(check, timeoutMs)] as const),
    );
    const checks: Record<string, CheckResult> = Object.fromEntries(entries);
    if (this.shuttingDown) {
      checks.shutdown = { status: 'down', durationMs: 0, error: 'the service is shutting down' };
    }
    return { ready: Object.values(checks).every((result) => result.status === 'up'), checks };
  }
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const outcome = await Promise.race([check.check(), timeout]);
    const durationMs = Date.now() - started;
    return outcome === false
      ? { status: 'down', durationMs, error: 'check reported down' }
      : { status: 'up', durationMs };
  } catch (error) {
    return {
      status: 'down',
      durationMs: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}
