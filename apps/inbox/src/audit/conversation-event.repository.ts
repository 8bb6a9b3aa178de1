import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import { jsonArrayParam } from '../persistence/utf8-param';
import type { ConversationEventRecord } from './conversation-event-record';

export interface ConversationEventRow {
  id: string;
  conversationId: string;
  actorType: string;
  actorId: string | null;
  action: string;
  reason: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

@Injectable()
export class ConversationEventRepository {
  async append(sql: SqlExecutor, events: readonly ConversationEventRecord[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((event) => ({
      conversation_id: event.conversationId,
      actor_type: event.actor.type,
      actor_id: event.actor.id,
      action: event.action,
      reason: event.reason,
      data: event.data,
    }));
    await sql.exec(
      `INSERT INTO conversation_events (conversation_id, actor_type, actor_id, action, reason, data)
       SELECT e.conversation_id, e.actor_type, e.actor_id, e.action, e.reason, coalesce(e.data, '{}')
       FROM json_populate_recordset(null::conversation_events, $1::json) AS e`,
      [jsonArrayParam(rows)],
    );
  }

  async list(sql: SqlExecutor, conversationId: string, afterId: string | null, limit: number): Promise<ConversationEventRow[]> {
    return sql.rows<ConversationEventRow>(
      `SELECT e.id::text AS id, e.conversation_id AS "conversationId", e.actor_type AS "actorType", e.actor_id AS "actorId",
              e.action, e.reason, e.data, e.created_at AS "createdAt"
       FROM conversation_events e
       WHERE e.conversation_id = $1 AND ($2::bigint IS NULL OR e.id > $2::bigint)
       ORDER BY e.id LIMIT $3`,
      [conversationId, afterId, limit],
    );
  }
}
