import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasing a contact also deletes the files of their attachments: the keys wait in blob_deletions (written in
 * the erasing transaction) until a sweep has deleted the files. The partial index finds whether any other
 * message still refers to a key, without touching messages that have no attachments. It is built
 * CONCURRENTLY (so outside a transaction): messages may be large, and ingestion goes on meanwhile; a build
 * that failed half-way leaves an invalid index, which is dropped and built again.
 */
export class BlobDeletions1742000000000 implements MigrationInterface {
  name = 'BlobDeletions1742000000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS blob_deletions (
        key text PRIMARY KEY,
        requested_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    const [leftover] = (await queryRunner.query(
      `SELECT NOT i.indisvalid AS invalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'messages_attachments_idx'`,
    )) as Array<{ invalid: boolean }>;
    if (leftover?.invalid) await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS messages_attachments_idx');
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS messages_attachments_idx ON messages USING gin (attachments jsonb_path_ops) WHERE attachments <> '[]'::jsonb`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS messages_attachments_idx');
    await queryRunner.query('DROP TABLE IF EXISTS blob_deletions');
  }
}
