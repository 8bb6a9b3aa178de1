import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bot webhooks: the durable delivery queue (one row per event a bot must receive, claimed by any inbox
 * instance with FOR UPDATE SKIP LOCKED) and the inbox settings of automatic handoff (the bot's reply
 * timeout, the customer's "I want a human" keywords).
 */
export class BotWebhooks1739000000000 implements MigrationInterface {
  name = 'BotWebhooks1739000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bot_webhook_deliveries (
        id uuid PRIMARY KEY,
        bot_id uuid NOT NULL REFERENCES bots (id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        source_event_id text NOT NULL,
        event text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'dropped')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      );
      CREATE UNIQUE INDEX bot_webhook_deliveries_source_uq ON bot_webhook_deliveries (source_event_id);
      CREATE INDEX bot_webhook_deliveries_due_idx ON bot_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX bot_webhook_deliveries_conversation_idx ON bot_webhook_deliveries (conversation_id, created_at, id) WHERE status = 'pending';

      ALTER TABLE inboxes
        ADD COLUMN bot_timeout_seconds integer NOT NULL DEFAULT 120 CHECK (bot_timeout_seconds > 0),
        ADD COLUMN handoff_keywords text[];

      CREATE INDEX conversations_bot_waiting_idx ON conversations (last_inbound_at) WHERE status = 'bot';
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX IF EXISTS conversations_bot_waiting_idx;
      ALTER TABLE inboxes DROP COLUMN IF EXISTS handoff_keywords, DROP COLUMN IF EXISTS bot_timeout_seconds;
      DROP TABLE IF EXISTS bot_webhook_deliveries;
    `);
  }
}
