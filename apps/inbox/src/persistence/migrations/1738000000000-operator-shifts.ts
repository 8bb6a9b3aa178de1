import { MigrationInterface, QueryRunner } from 'typeorm';

/** (filled in by the work on this feature) */
export class OperatorShifts1738000000000 implements MigrationInterface {
  name = 'OperatorShifts1738000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT 1`);
  }
}
