import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import {
  adminDatabaseUrl,
  hostPort,
  kafkaBrokers,
  TEST_ADMIN_DATABASE_URL_ENV,
  TEST_DATABASE_URL_ENV,
} from './infra-env';
import { deleteStaleTestTopics } from './stale-topics';
import { parseHostPort, tcpAnswers } from './tcp-probe';
import { createTestDatabase, dropStaleTestDatabases } from './test-database';

const REPO_ROOT = resolve(__dirname, '../../../..');

/** Name of the run database, kept for global-teardown (same process). */
export const RUN_DATABASE_NAME_ENV = 'SWITCHBOARD_TEST_RUN_DATABASE';

/**
 * Jest globalSetup of the integration project: makes sure Kafka and Postgres answer (runs
 * `bash scripts/infra.sh up` when one does not), removes what runs hours ago left (databases, topics),
 * creates ONE fresh database for the run and
 * exports TEST_DATABASE_URL + KAFKA_BROKERS (+ TEST_ADMIN_DATABASE_URL) into process.env, which
 * jest's worker processes inherit.
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = adminDatabaseUrl();
  const brokers = kafkaBrokers();
  const pg = hostPort(adminUrl);
  const kafka = parseHostPort(brokers[0]);
  const [pgUp, kafkaUp] = await Promise.all([
    tcpAnswers(pg.host, pg.port),
    tcpAnswers(kafka.host, kafka.port),
  ]);
  if (!pgUp || !kafkaUp) {
    process.stderr.write(
      `[global-setup] ${!pgUp ? 'postgres ' : ''}${!kafkaUp ? 'kafka ' : ''}not answering: bash scripts/infra.sh up\n`,
    );
    execFileSync('bash', [resolve(REPO_ROOT, 'scripts/infra.sh'), 'up'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, KAFKA_BROKERS: brokers.join(','), DATABASE_URL: adminUrl },
    });
  }

  await dropStaleTestDatabases(6 * 3600_000, adminUrl).catch(() => []);
  await deleteStaleTestTopics(brokers).catch(() => []);
  const database = await createTestDatabase(adminUrl);

  process.env[TEST_ADMIN_DATABASE_URL_ENV] = adminUrl;
  process.env[TEST_DATABASE_URL_ENV] = database.url;
  process.env[RUN_DATABASE_NAME_ENV] = database.name;
  process.env.KAFKA_BROKERS = brokers.join(',');
}
