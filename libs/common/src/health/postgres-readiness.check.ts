import { Client } from 'pg';
import { ReadinessCheck } from './readiness-check';

/**
 * Postgres answers `SELECT 1`. Give it the app's own query function when there is a pool (TypeORM:
 * `() => dataSource.query('SELECT 1')`); with a URL it opens a short-lived connection per check.
 */
export function postgresReadinessCheck(
  target: string | (() => Promise<unknown>),
  name = 'postgres',
): ReadinessCheck {
  if (typeof target === 'function') {
    return { name, check: () => target() };
  }
  return {
    name,
    async check() {
      const client = new Client({ connectionString: target, connectionTimeoutMillis: 2500 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}
