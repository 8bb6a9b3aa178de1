import { Injectable } from '@nestjs/common';
import { castList, columnList, unnestRows, type ColumnMap } from '../persistence/row-mapping';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { ConversationEventRecord } from './conversation-event-record';

interface EventColumns {
  conversationId: string;
  actorType: string;
  actorId: string | null;
  action: string;
  reason: string | null | undefined;
  data: Record<string, unknown> | undefined;
}

const EVENT_COLUMNS: ColumnMap<EventColumns> = [
  ['conversationId', 'conversation_id', 'uuid'],
  ['actorType', 'actor_type', 'text'],
  ['actorId', 'actor_id', 'uuid'],
  ['action', 'action', 'text'],
  ['reason', 'reason', 'text'],
  ['data', 'data', 'jsonb'],
];

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
    const rows = unnestRows(
      EVENT_COLUMNS,
      events.map((event) => ({
        conversationId: event.conversationId,
        actorType: event.actor.type,
        actorId: event.actor.id,
        action: event.action,
        reason: event.reason,
        data: event.data ?? {},
      })),
      'e',
    );
    await sql.exec(`INSERT INTO conversation_events (${columnList(EVENT_COLUMNS)}) SELECT ${castList(EVENT_COLUMNS, 'e')} FROM ${rows.from}`, rows.params);
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
