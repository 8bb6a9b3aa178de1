import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh tokens of operators' sessions (the gateway's auth; written through the inbox's internal
 * auth API in auth-store/). A token is `<id>.<secret>`; only sha256(secret) is stored. Tokens of one
 * login form a family: each refresh rotates the token (rotated_at set, a new row in the family); a
 * rotated token presented again is a reuse and revokes the whole family.
 */
export class AuthTokens1737000000000 implements MigrationInterface {
  name = 'AuthTokens1737000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE auth_refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz,
        revoked_reason text,
        user_agent text,
        ip text
      );
      CREATE INDEX auth_refresh_tokens_family_idx ON auth_refresh_tokens (family_id);
      CREATE INDEX auth_refresh_tokens_operator_idx ON auth_refresh_tokens (operator_id) WHERE revoked_at IS NULL;
      CREATE INDEX auth_refresh_tokens_expiry_idx ON auth_refresh_tokens (expires_at);
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS auth_refresh_tokens');
  }
}
