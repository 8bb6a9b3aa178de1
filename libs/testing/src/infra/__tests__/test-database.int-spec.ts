import { Client } from 'pg';
import {
  createTestDatabase,
  databaseExists,
  kafkaBrokers,
  testDatabaseUrl,
  uniqueName,
} from '@switchboard/testing';

async function selectOne(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ db: string }>('SELECT current_database() AS db');
    return result.rows[0].db;
  } finally {
    await client.end();
  }
}

describe('test infrastructure', () => {
  it('exports the run database and the brokers to the jest worker', async () => {
    const url = testDatabaseUrl();
    expect(url).toMatch(/\/switchboard_test_\d+_[0-9a-f]{8}$/);
    expect(await selectOne(url)).toMatch(/^switchboard_test_/);
    expect(kafkaBrokers().length).toBeGreaterThan(0);
    expect(process.env.KAFKA_BROKERS).toBe(kafkaBrokers().join(','));
  });

  it('createTestDatabase gives a reachable fresh database and drop() removes it', async () => {
    const database = await createTestDatabase();
    expect(database.url).not.toBe(testDatabaseUrl());
    expect(await selectOne(database.url)).toBe(database.name);
    expect(await databaseExists(database.name)).toBe(true);

    // an open connection does not stop the drop
    const lingering = new Client({ connectionString: database.url });
    await lingering.connect();
    lingering.on('error', () => undefined);
    await database.drop();
    await lingering.end().catch(() => undefined);

    expect(await databaseExists(database.name)).toBe(false);
    await expect(selectOne(database.url)).rejects.toThrow(/does not exist/);
    await database.drop(); // idempotent
  });

  it('uniqueName gives distinct names safe for topics and identifiers', () => {
    const a = uniqueName('bus contract/test');
    const b = uniqueName('bus contract/test');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^bus-contract-test-[0-9a-z]+-[0-9a-f]{8}$/);
    expect(uniqueName('my db', '_')).toMatch(/^my_db_[0-9a-z]+_[0-9a-f]{8}$/);
  });
});
