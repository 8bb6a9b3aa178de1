import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';

/**
 * Names for statements prepared once per connection and then only bound and executed. The same text always gets
 * the same name, so a name means one statement on every connection of this process.
 *
 * A connection keeps every statement it prepared until it closes, so the names are bounded: past `capacity`
 * distinct texts, `nameOf` answers null and the statement runs unnamed (parsed and planned every time), as every
 * statement did before. Paths whose texts are built from data (column lists of an update, for instance) should not
 * use names at all.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private issued = 0;

  constructor(
    private readonly capacity: number,
    /** distinguishes this registry's names from another's on the same connection */
    private readonly prefix = 'sb',
  ) {}

  nameOf(text: string): string | null {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    if (this.names.size >= this.capacity) return null;
    this.issued += 1;
    const name = `${this.prefix}_${this.issued}`;
    this.names.set(text, name);
    return name;
  }

  /** the next nameOf(text) gives a name never used before (prepared afresh on every connection) */
  forget(text: string): void {
    this.names.delete(text);
  }

  get size(): number {
    return this.names.size;
  }
}

/** SQLSTATE of "cached plan must not change result type" (among others) */
const FEATURE_NOT_SUPPORTED = '0A000';

/** the process' statement names: ingestion, routing's queue checks, the bot dispatcher's claim and delivery receipts prepare a few dozen */
const PREPARED_STATEMENTS = new StatementNames(200);

interface Outcome<T> {
  rows: T[];
  affected: number;
}

/** SQL on one connection (inside a transaction or not). Repositories take one of these. */
export class SqlExecutor {
  constructor(
    private readonly runner: QueryRunner,
    private readonly names: StatementNames | null = null,
  ) {}

  /**
   * The same connection, with each statement prepared once per connection and reused: no parsing, analysis or
   * planning on the later runs (with `plan_cache_mode = force_generic_plan`, not even the first plan is custom).
   * For hot paths whose statement texts are fixed, such as ingestion.
   */
  prepared(names: StatementNames = PREPARED_STATEMENTS): SqlExecutor {
    return new SqlExecutor(this.runner, names);
  }

  /** rows of a SELECT or of a statement with RETURNING */
  async rows<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }

  async one<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    const rows = await this.rows<T>(sql, params);
    return rows[0];
  }

  /** number of rows the statement touched */
  async exec(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.query(sql, params)).affected;
  }

  private async query<T>(sql: string, params: readonly unknown[]): Promise<Outcome<T>> {
    const name = this.names?.nameOf(sql) ?? null;
    if (name === null) {
      const result = await this.runner.query(sql, params as unknown[], true);
      return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
    }
    // TypeORM's query() takes text only; a named statement goes to the runner's own pg connection, in its
    // transaction, and fails the way query() does (QueryFailedError around the driver's error)
    if (this.runner.isReleased) throw new QueryRunnerAlreadyReleasedError();
    const client = (await this.runner.connect()) as PoolClient;
    try {
      const result = await client.query({ name, text: sql, values: params as unknown[] });
      return { rows: result.rows as T[], affected: result.rowCount ?? 0 };
    } catch (error) {
      // "cached plan must not change result type": a migration changed what the prepared statement returns. It
      // would fail on this connection for good, so the next run prepares the text afresh under a new name.
      if ((error as { code?: unknown }).code === FEATURE_NOT_SUPPORTED) this.names?.forget(sql);
      throw new QueryFailedError(sql, params as unknown[], error as Error);
    }
  }
}

/** The Postgres SQLSTATE of a failed query, if any (23505 unique_violation, 40P01 deadlock, …). */
export function sqlState(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) {
    const driverError: unknown = error.driverError;
    if (driverError && typeof driverError === 'object' && 'code' in driverError) {
      return String((driverError as { code: unknown }).code);
    }
  }
  return undefined;
}
