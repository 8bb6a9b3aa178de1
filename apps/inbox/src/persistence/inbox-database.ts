import { DataSource } from 'typeorm';
import { INBOX_ENTITIES } from './entities';
import { INBOX_MIGRATIONS } from './migrations';
import { SqlExecutor, sqlState } from './sql-executor';

export interface InboxDatabaseOptions {
  url: string;
  /** connections in the pool (default 10) */
  poolSize?: number;
  applicationName?: string;
}

/** Key of the session advisory lock held while migrations run (any constant shared by all instances). */
export const MIGRATION_LOCK_KEY = 4_281_190_731;

const RETRYABLE_STATES = new Set(['40001', '40P01']);

/**
 * The inbox's Postgres: a TypeORM DataSource (entities + migrations, never `synchronize`) with a
 * small API for repositories: `run` (autocommit) and `transaction`.
 */
export class InboxDatabase {
  private constructor(readonly dataSource: DataSource) {}

  static async open(options: InboxDatabaseOptions): Promise<InboxDatabase> {
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.url,
      entities: INBOX_ENTITIES,
      migrations: INBOX_MIGRATIONS,
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      logging: false,
      applicationName: options.applicationName ?? 'switchboard-inbox',
      extra: { max: options.poolSize ?? 10 },
    });
    await dataSource.initialize();
    return new InboxDatabase(dataSource);
  }

  /**
   * Applies pending migrations while holding a session advisory lock, so several instances booting
   * together migrate once and the others wait, then find nothing to do.
   */
  async migrate(): Promise<string[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        const applied = await this.dataSource.runMigrations({ transaction: 'each' });
        return applied.map((migration) => migration.name);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /** one statement or a few, autocommit */
  async run<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await fn(new SqlExecutor(runner));
    } finally {
      await runner.release();
    }
  }

  /** `fn` in one READ COMMITTED transaction; retried on deadlock / serialization failure */
  async transaction<T>(fn: (sql: SqlExecutor) => Promise<T>, attempts = 3): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const runner = this.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        const result = await fn(new SqlExecutor(runner));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) {
          await runner.rollbackTransaction().catch(() => undefined);
        }
        const state = sqlState(error);
        if (attempt < attempts && state && RETRYABLE_STATES.has(state)) {
          await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
          continue;
        }
        throw error;
      } finally {
        await runner.release();
      }
    }
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
  }
}
