import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operators' weekly shifts (DESIGN.md, "Routing and assignment": an eligible operator is on shift).
 * - `operators.timezone`: an IANA zone name (checked against pg_timezone_names when written); the
 *   shifts are wall-clock times in that zone, so daylight saving moves them with the clock.
 * - `operator_shifts`: one row per weekly interval. `weekday` 0 = Sunday … 6 = Saturday (Postgres'
 *   `extract(dow)` and JavaScript's `getDay()`). `ends_at <= starts_at` wraps past midnight into the
 *   next day (22:00–06:00 on Friday covers Friday 22:00 to Saturday 06:00; equal times = 24 hours).
 * An operator with no shift rows at all is always on shift (installs without schedules keep working).
 * - `operator_shift_exceptions`: dated days off. On such a local date (in the operator's timezone)
 *   the operator is off shift all day, whatever the weekly shifts say (an operator without shifts too).
 * The on-shift test itself lives in routing/on-shift.sql.ts and runs in SQL against now().
 */
export class OperatorShifts1738000000000 implements MigrationInterface {
  name = 'OperatorShifts1738000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE operators ADD COLUMN timezone text NOT NULL DEFAULT 'UTC';

      CREATE TABLE operator_shifts (
        id uuid PRIMARY KEY,
        operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),
        starts_at time NOT NULL CHECK (extract(second FROM starts_at) = 0),
        ends_at time NOT NULL CHECK (extract(second FROM ends_at) = 0)
      );
      CREATE INDEX operator_shifts_operator_idx ON operator_shifts (operator_id, weekday);

      CREATE TABLE operator_shift_exceptions (
        operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
        day date NOT NULL,
        PRIMARY KEY (operator_id, day)
      );
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE IF EXISTS operator_shift_exceptions;
      DROP TABLE IF EXISTS operator_shifts;
      ALTER TABLE operators DROP COLUMN IF EXISTS timezone;
    `);
  }
}
