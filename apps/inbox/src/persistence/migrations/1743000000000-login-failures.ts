import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed logins, counted where every gateway instance sees them: the login limits hold for the whole
 * deployment, not once per gateway. Rows older than the window are pruned as new ones come.
 */
export class LoginFailures1743000000000 implements MigrationInterface {
  name = 'LoginFailures1743000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_failures (
        id bigserial PRIMARY KEY,
        address text NOT NULL,
        email text NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX login_failures_address_idx ON login_failures (address, at)`);
    await queryRunner.query(`CREATE INDEX login_failures_at_idx ON login_failures (at)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS login_failures');
  }
}
