import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminDatabaseUrl, withDatabase } from './infra-env';

/** Prefix of every database the tests create (see dropStaleTestDatabases). */
export const TEST_DATABASE_PREFIX = 'switchboard_test_';

export interface TestDatabase {
  /** the database name */
  name: string;
  /** a connection URL to it (same server, user and options as the admin URL) */
  url: string;
  /** drops it, closing whatever connections are still open; idempotent */
  drop(): Promise<void>;
}

/** `switchboard_test_<unix ms>_<rand>`: the timestamp lets a later run drop what a crashed run left. */
export function newTestDatabaseName(): string {
  return `${TEST_DATABASE_PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
}

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function dropDatabase(name: string, adminUrl = adminDatabaseUrl()): Promise<void> {
  await withAdmin(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  );
}

export async function databaseExists(name: string, adminUrl = adminDatabaseUrl()): Promise<boolean> {
  return withAdmin(adminUrl, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  });
}

/**
 * A fresh, empty database on the test server, for a test file that needs isolation from the rest
 * of the run. Call `drop()` in afterAll.
 */
export async function createTestDatabase(adminUrl = adminDatabaseUrl()): Promise<TestDatabase> {
  const name = newTestDatabaseName();
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
  let dropped = false;
  return {
    name,
    url: withDatabase(adminUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await dropDatabase(name, adminUrl);
    },
  };
}

/**
 * Drops test databases older than `olderThanMs` (left behind by runs that crashed before their
 * teardown). Young ones are left alone: another run may be using them.
 */
export async function dropStaleTestDatabases(
  olderThanMs = 6 * 3600_000,
  adminUrl = adminDatabaseUrl(),
): Promise<string[]> {
  const names = await withAdmin(adminUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${TEST_DATABASE_PREFIX}%`],
    );
    return result.rows.map((row) => row.datname);
  });
  const cutoff = Date.now() - olderThanMs;
  const stale = names.filter((name) => {
    const stamp = Number(/^switchboard_test_(\d+)_/.exec(name)?.[1]);
    return Number.isFinite(stamp) && stamp < cutoff;
  });
  for (const name of stale) {
    await dropDatabase(name, adminUrl);
  }
  return stale;
}
