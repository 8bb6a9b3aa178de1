import { Injectable } from '@nestjs/common';
import type { EncryptedSecret } from '@switchboard/common';
import type { SqlExecutor } from '../persistence/sql-executor';

export interface BotRow {
  id: string;
  name: string;
  webhookUrl: string | null;
  createdAt: Date;
  inboxIds: string[];
}

const SELECT = `
  SELECT b.id, b.name, b.webhook_url AS "webhookUrl", b.created_at AS "createdAt",
         coalesce((SELECT array_agg(i.id ORDER BY i.id) FROM inboxes i WHERE i.bot_id = b.id AND i.deleted_at IS NULL), '{}') AS "inboxIds"
  FROM bots b`;

@Injectable()
export class BotRepository {
  list(sql: SqlExecutor): Promise<BotRow[]> {
    return sql.rows<BotRow>(`${SELECT} WHERE b.deleted_at IS NULL ORDER BY b.name, b.id`);
  }

  get(sql: SqlExecutor, id: string): Promise<BotRow | undefined> {
    return sql.one<BotRow>(`${SELECT} WHERE b.id = $1 AND b.deleted_at IS NULL`, [id]);
  }

  async insert(sql: SqlExecutor, bot: { id: string; name: string; webhookUrl: string | null; webhookSecret: EncryptedSecret; tokenHash: string }): Promise<void> {
    await sql.exec(`INSERT INTO bots (id, name, webhook_url, webhook_secret, token_hash) VALUES ($1, $2, $3, $4, $5)`, [
      bot.id, bot.name, bot.webhookUrl, JSON.stringify(bot.webhookSecret), bot.tokenHash,
    ]);
  }

  /** @returns inbox ids that do not exist */
  async attach(sql: SqlExecutor, botId: string, inboxIds: readonly string[]): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(`UPDATE inboxes SET bot_id = $1, updated_at = now() WHERE id = ANY($2::uuid[]) AND deleted_at IS NULL RETURNING id`, [botId, inboxIds]);
    const found = new Set(rows.map((row) => row.id));
    return inboxIds.filter((id) => !found.has(id));
  }

  async softDelete(sql: SqlExecutor, id: string): Promise<boolean> {
    const count = await sql.exec(`UPDATE bots SET deleted_at = now(), token_hash = NULL WHERE id = $1 AND deleted_at IS NULL`, [id]);
    await sql.exec(`UPDATE inboxes SET bot_id = NULL, updated_at = now() WHERE bot_id = $1`, [id]);
    return count > 0;
  }
}
