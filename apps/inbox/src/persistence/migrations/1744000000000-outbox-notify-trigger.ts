import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay's wake-up (NOTIFY switchboard_outbox, delivered at commit) comes from a statement-level trigger
 * on the outbox, once per INSERT, instead of a CTE around the insert: Postgres copies a CTE's query while
 * planning it, and with a batch's ~700 KB of parameters bound as constants that made planning cost ~5 ms a
 * batch. Any writer of the outbox now wakes the relay.
 */
export class OutboxNotifyTrigger1744000000000 implements MigrationInterface {
  name = 'OutboxNotifyTrigger1744000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('switchboard_outbox', '');
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER IF EXISTS outbox_notify ON outbox');
    await queryRunner.query('DROP FUNCTION IF EXISTS outbox_notify()');
  }
}
