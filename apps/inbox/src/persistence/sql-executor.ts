import type { QueryRunner } from 'typeorm';
import { QueryFailedError } from 'typeorm';

/** SQL on one connection (inside a transaction or not). Repositories take one of these. */
export class SqlExecutor {
  constructor(private readonly runner: QueryRunner) {}

  /** rows of a SELECT or of a statement with RETURNING */
  async rows<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(sql, params as unknown[], true);
    return (result.records ?? []) as T[];
  }

  async one<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    const rows = await this.rows<T>(sql, params);
    return rows[0];
  }

  /** number of rows the statement touched */
  async exec(sql: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.runner.query(sql, params as unknown[], true);
    return result.affected ?? 0;
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
