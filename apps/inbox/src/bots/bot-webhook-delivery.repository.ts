import { Injectable } from '@nestjs/common';
import type { EncryptedSecret } from '@switchboard/common';
import type { SqlExecutor } from '../persistence/sql-executor';

export type BotWebhookEvent = 'message.created' | 'conversation.handed_back';

export interface NewBotWebhookDelivery {
  id: string;
  botId: string;
  conversationId: string;
  /** the event that caused it (CloudEvent id, or the command's own id): a redelivered event adds nothing */
  sourceEventId: string;
  event: BotWebhookEvent;
  payload: string;
}

/** A claimed delivery with what the POST needs. */
export interface ClaimedDelivery {
  id: string;
  botId: string;
  conversationId: string;
  event: BotWebhookEvent;
  payload: string;
  attempts: number;
  webhookUrl: string | null;
  webhookSecret: EncryptedSecret | null;
  /** false when the conversation left `bot`, or its inbox no longer has this bot, or the bot is gone */
  stillWithBot: boolean;
}

/** The bot of an inbox, as the webhook side needs it. */
export interface InboxBot {
  botId: string;
  webhookUrl: string | null;
  handoffKeywords: string[] | null;
}

/** SQL of the bot webhook queue (bot_webhook_deliveries) and of the bot-timeout sweep. */
@Injectable()
export class BotWebhookDeliveryRepository {
  /** @returns true when inserted, false when the source event was seen before */
  async insert(sql: SqlExecutor, delivery: NewBotWebhookDelivery): Promise<boolean> {
    const count = await sql.exec(
      `INSERT INTO bot_webhook_deliveries (id, bot_id, conversation_id, source_event_id, event, payload)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_event_id) DO NOTHING`,
      [delivery.id, delivery.botId, delivery.conversationId, delivery.sourceEventId, delivery.event, delivery.payload],
    );
    return count > 0;
  }

  async inboxBot(sql: SqlExecutor, inboxId: string): Promise<InboxBot | undefined> {
    return sql.one<InboxBot>(
      `SELECT b.id AS "botId", b.webhook_url AS "webhookUrl", i.handoff_keywords AS "handoffKeywords"
       FROM inboxes i JOIN bots b ON b.id = i.bot_id AND b.deleted_at IS NULL
       WHERE i.id = $1`,
      [inboxId],
    );
  }

  /**
   * Claims up to `limit` due deliveries for one attempt each: counts the attempt and leases the row
   * until `leaseMs` from now (another instance takes it over only if this one dies mid-POST). Only
   * the oldest pending delivery of a conversation is due, so a bot gets one conversation's events in
   * order even while one of them is being retried.
   */
  claimDue(sql: SqlExecutor, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return sql.rows<ClaimedDelivery>(
      `WITH due AS (
         SELECT d.id FROM bot_webhook_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= now()
           AND NOT EXISTS (
             SELECT 1 FROM bot_webhook_deliveries e
             WHERE e.conversation_id = d.conversation_id AND e.status = 'pending' AND (e.created_at, e.id) < (d.created_at, d.id))
         ORDER BY d.next_attempt_at, d.created_at, d.id
         LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
       ), claimed AS (
         UPDATE bot_webhook_deliveries d
         SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM due WHERE d.id = due.id
         RETURNING d.id, d.bot_id, d.conversation_id, d.event, d.payload, d.attempts
       )
       SELECT cl.id, cl.bot_id AS "botId", cl.conversation_id AS "conversationId", cl.event, cl.payload, cl.attempts,
              b.webhook_url AS "webhookUrl", b.webhook_secret AS "webhookSecret",
              (c.status = 'bot' AND i.bot_id = cl.bot_id AND b.deleted_at IS NULL AND b.webhook_url IS NOT NULL AND b.webhook_secret IS NOT NULL) AS "stillWithBot"
       FROM claimed cl
       JOIN conversations c ON c.id = cl.conversation_id
       JOIN inboxes i ON i.id = c.inbox_id
       JOIN bots b ON b.id = cl.bot_id`,
      [limit, leaseMs],
    );
  }

  async markDelivered(sql: SqlExecutor, id: string): Promise<void> {
    await sql.exec(`UPDATE bot_webhook_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE id = $1`, [id]);
  }

  async markDropped(sql: SqlExecutor, ids: readonly string[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    await sql.exec(`UPDATE bot_webhook_deliveries SET status = 'dropped', last_error = $2 WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [ids, reason]);
  }

  async scheduleRetry(sql: SqlExecutor, id: string, delayMs: number, error: string): Promise<void> {
    await sql.exec(
      `UPDATE bot_webhook_deliveries SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), last_error = $3
       WHERE id = $1 AND status = 'pending'`,
      [id, delayMs, error],
    );
  }

  /** failed for good; the conversation's other pending deliveries are dropped with it */
  async markFailed(sql: SqlExecutor, id: string, conversationId: string, error: string): Promise<void> {
    await sql.exec(`UPDATE bot_webhook_deliveries SET status = 'failed', last_error = $2 WHERE id = $1`, [id, error]);
    await sql.exec(
      `UPDATE bot_webhook_deliveries SET status = 'dropped', last_error = 'an earlier delivery failed' WHERE conversation_id = $1 AND status = 'pending'`,
      [conversationId],
    );
  }

  /** locks the conversation when it is in `bot` (FOR UPDATE); false when it is not */
  async lockIfWithBot(sql: SqlExecutor, conversationId: string): Promise<boolean> {
    const row = await sql.one<{ id: string }>(`SELECT id FROM conversations WHERE id = $1 AND status = 'bot' FOR UPDATE`, [conversationId]);
    return row !== undefined;
  }

  /**
   * Conversations in `bot` whose last customer message (since the conversation last came to the bot)
   * is older than the inbox's bot timeout with no bot message after it; only `conversationId` when given.
   */
  async silentBotConversations(sql: SqlExecutor, limit: number, conversationId: string | null = null): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT c.id FROM conversations c
       JOIN inboxes i ON i.id = c.inbox_id
       CROSS JOIN LATERAL (
         SELECT max(m.created_at) AS at FROM messages m
         WHERE m.conversation_id = c.id AND m.direction = 'inbound' AND m.sender_type = 'contact' AND m.kind = 'message' AND NOT m.auto_reply
           AND m.created_at > coalesce(
             (SELECT max(e.created_at) FROM conversation_events e WHERE e.conversation_id = c.id AND e.action = 'handed_back'), '-infinity')
       ) last_in
       WHERE c.status = 'bot' AND c.last_inbound_at IS NOT NULL AND ($2::uuid IS NULL OR c.id = $2)
         AND last_in.at < now() - make_interval(secs => i.bot_timeout_seconds)
         AND NOT EXISTS (
           SELECT 1 FROM messages b WHERE b.conversation_id = c.id AND b.sender_type = 'bot' AND b.kind = 'message' AND b.created_at >= last_in.at)
       ORDER BY last_in.at
       LIMIT $1`,
      [limit, conversationId],
    );
    return rows.map((row) => row.id);
  }
}
