import { adminDatabaseUrl } from './infra-env';
import { RUN_DATABASE_NAME_ENV } from './global-setup';
import { dropDatabase } from './test-database';

/** Jest globalTeardown of the integration project: drops the run database. Kafka stays up. */
export default async function globalTeardown(): Promise<void> {
  const name = process.env[RUN_DATABASE_NAME_ENV];
  if (!name) return;
  await dropDatabase(name, adminDatabaseUrl());
  delete process.env[RUN_DATABASE_NAME_ENV];
}
