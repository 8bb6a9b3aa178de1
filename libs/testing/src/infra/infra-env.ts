/**
 * Where the test infrastructure lives. Test-only code: it reads the environment that the jest
 * global set-up (global-setup.ts) exported for the run, with the same defaults as scripts/infra.sh.
 */
export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
export const DEFAULT_ADMIN_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Env variable the global set-up fills with the run's fresh database. */
export const TEST_DATABASE_URL_ENV = 'TEST_DATABASE_URL';
/** Env variable holding the server-level URL used to create and drop test databases. */
export const TEST_ADMIN_DATABASE_URL_ENV = 'TEST_ADMIN_DATABASE_URL';

/** The Kafka brokers of the run (KAFKA_BROKERS, comma-separated; default 127.0.0.1:9092). */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? DEFAULT_KAFKA_BROKERS)
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/**
 * A URL on the Postgres server with rights to CREATE/DROP DATABASE: TEST_ADMIN_DATABASE_URL, else
 * DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
 */
export function adminDatabaseUrl(): string {
  return process.env[TEST_ADMIN_DATABASE_URL_ENV] ?? process.env.DATABASE_URL ?? DEFAULT_ADMIN_DATABASE_URL;
}

/** The database the global set-up created for this run; throws when the set-up did not run. */
export function testDatabaseUrl(): string {
  const url = process.env[TEST_DATABASE_URL_ENV];
  if (!url) {
    throw new Error(
      `${TEST_DATABASE_URL_ENV} is not set: run integration tests through jest's integration project ` +
        '(its globalSetup libs/testing/src/infra/global-setup.ts creates the run database)',
    );
  }
  return url;
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** host:port pairs to probe for a URL (postgres default port 5432). */
export function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname || '127.0.0.1', port: parsed.port ? Number(parsed.port) : 5432 };
}
