import { MigrationInterface, QueryRunner } from 'typeorm';

/** (filled in by the work on this feature) */
export class BotWebhooks1739000000000 implements MigrationInterface {
  name = 'BotWebhooks1739000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
