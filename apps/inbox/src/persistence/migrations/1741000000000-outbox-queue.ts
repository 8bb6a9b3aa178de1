import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox is a queue: rows are deleted once published, so `published_at` was never set, and the relay's
 * read filtered on it for nothing (the planner then scanned and sorted the table instead of walking the
 * primary key). The column goes; the table is vacuumed after a fixed number of dead rows rather than a
 * share of a table that is mostly dead rows between vacuums.
 */
export class OutboxQueue1741000000000 implements MigrationInterface {
  name = 'OutboxQueue1741000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN published_at`);
    await queryRunner.query(`ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold)`);
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN published_at timestamptz`);
  }
}
