import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasing a contact also deletes the files of their attachments: the keys wait in blob_deletions (written in
 * the erasing transaction) until a sweep has deleted the files. The partial index finds whether any other
 * message still refers to a key, without touching messages that have no attachments.
 */
export class BlobDeletions1742000000000 implements MigrationInterface {
  name = 'BlobDeletions1742000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE blob_deletions (
        key text PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await queryRunner.query(`CREATE INDEX messages_attachments_idx ON messages USING gin (attachments jsonb_path_ops) WHERE attachments <> '[]'::jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS messages_attachments_idx');
    await queryRunner.query('DROP TABLE IF EXISTS blob_deletions');
  }
}
