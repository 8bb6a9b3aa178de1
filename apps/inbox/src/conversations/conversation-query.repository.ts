import { Injectable } from '@nestjs/common';
import { CONVERSATION_COLUMNS } from '../persistence/conversation-columns';
import { selectList } from '../persistence/row-mapping';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ConversationSnapshotMapper } from './conversation-snapshot.mapper';
import { CONVERSATION_VIEW_EXTRA_COLUMNS, CONVERSATION_VIEW_JOINS, type ConversationView } from './conversation-view';

export interface ConversationFilter {
  /** visible inboxes (null: all) */
  inboxIds: string[] | null;
  assigneeId?: string;
  unassigned?: boolean;
  teamIds?: string[];
  statuses?: string[];
  inboxId?: string;
  channel?: string;
  label?: string;
  type?: string;
  contactId?: string;
  /** a prefix tsquery over message text (simple config) and contact fields */
  tsQuery?: string;
  /** the raw search text for contact name / email / phone substrings */
  text?: string;
  after?: { lastMessageAt: string; id: string };
  limit: number;
}

export interface HandoffRow {
  id: string;
  botId: string | null;
  summary: string;
  intent: string | null;
  collected: Record<string, unknown>;
  reason: string | null;
  language: string | null;
  priority: number | null;
  teamId: string | null;
  createdAt: Date;
}

/** The read side of conversations: the filtered, searched, cursor-paginated list. */
@Injectable()
export class ConversationQueryRepository {
  async list(sql: SqlExecutor, filter: ConversationFilter): Promise<ConversationView[]> {
    const where: string[] = ['c.merged_into_id IS NULL'];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.inboxIds !== null) where.push(`c.inbox_id = ANY(${param(filter.inboxIds)}::uuid[])`);
    if (filter.assigneeId) where.push(`c.assignee_id = ${param(filter.assigneeId)}`);
    if (filter.unassigned) where.push(`c.assignee_id IS NULL`);
    if (filter.teamIds) where.push(`c.team_id = ANY(${param(filter.teamIds)}::uuid[])`);
    if (filter.statuses && filter.statuses.length > 0) where.push(`c.status = ANY(${param(filter.statuses)}::text[])`);
    if (filter.inboxId) where.push(`c.inbox_id = ${param(filter.inboxId)}`);
    if (filter.channel) where.push(`vi.channel_type = ${param(filter.channel)}`);
    if (filter.label) where.push(`${param(filter.label)} = ANY(c.labels)`);
    if (filter.type) where.push(`c.type = ${param(filter.type)}`);
    if (filter.contactId) where.push(`c.contact_id = ${param(filter.contactId)}`);
    if (filter.tsQuery) {
      const query = param(filter.tsQuery);
      const like = param(`%${escapeLike(filter.text ?? '')}%`);
      where.push(`(
        EXISTS (SELECT 1 FROM messages sm WHERE sm.conversation_id = c.id AND sm.search @@ to_tsquery('simple', ${query}))
        OR vct.search @@ to_tsquery('simple', ${query})
        OR vct.email ILIKE ${like} OR vct.phone ILIKE ${like}
        OR c.subject ILIKE ${like}
      )`);
    }
    if (filter.after) where.push(`(c.last_message_at, c.id) < (${param(filter.after.lastMessageAt)}::timestamptz, ${param(filter.after.id)}::uuid)`);
    const rows = await sql.rows<Record<string, unknown>>(
      `SELECT ${selectList(CONVERSATION_COLUMNS, 'c')}, ${CONVERSATION_VIEW_EXTRA_COLUMNS}
       FROM conversations c ${CONVERSATION_VIEW_JOINS}
       WHERE ${where.join(' AND ')}
       ORDER BY c.last_message_at DESC, c.id DESC
       LIMIT ${param(filter.limit)}`,
      params,
    );
    return rows.map((row) => ConversationSnapshotMapper.viewFromRow(row));
  }

  async latestHandoff(sql: SqlExecutor, conversationId: string): Promise<HandoffRow | undefined> {
    return sql.one<HandoffRow>(
      `SELECT id, bot_id AS "botId", summary, intent, collected, reason, language, priority, team_id AS "teamId", created_at AS "createdAt"
       FROM handoffs WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [conversationId],
    );
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
