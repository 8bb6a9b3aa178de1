import type { FactoryProvider, InjectionToken } from '@nestjs/common';

/**
 * A dependency /readyz asks about (Postgres, Kafka, …). `check()` resolving means up; resolving
 * `false` or rejecting means down (the error message is shown).
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<unknown>;
}

/** A readiness check built by Nest from injected dependencies (HealthModule.forRoot({ checks })). */
export interface ReadinessCheckProvider {
  inject?: InjectionToken[];
  useFactory: FactoryProvider<ReadinessCheck>['useFactory'];
}

/** Token of the checks given to HealthModule.forRoot. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export interface CheckResult {
  status: 'up' | 'down';
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckResult>;
}
