import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions revoked since a moment (the gateways poll them to refuse those sessions' access tokens). */
export class RevokedSessions1740000000000 implements MigrationInterface {
  name = 'RevokedSessions1740000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX auth_refresh_tokens_revoked_idx ON auth_refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS auth_refresh_tokens_revoked_idx');
  }
}
