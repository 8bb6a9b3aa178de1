import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ACTIVE_STATUS_SQL } from '../routing/assignment.repository';
import { onShiftSql } from '../routing/on-shift.sql';
import type { ReportGroupBy } from './dto/report.schemas';

/** Seconds: count of the measured conversations, average, median, 90th percentile (null when none). */
export interface DurationRow {
  key: string | null;
  name: string | null;
  count: number;
  measured: number;
  avg: number | null;
  p50: number | null;
  p90: number | null;
}

export interface MessageCountRow {
  key: string | null;
  name: string | null;
  inbound: number;
  outbound: number;
}

export interface QueueRow {
  inboxId: string;
  inboxName: string;
  queued: number;
  longestWaitSeconds: number | null;
}

export interface OperatorLoadRow {
  id: string;
  name: string;
  availability: string;
  capacity: number;
  active: number;
  /** on shift now (routing gives work only to operators online and on shift) */
  onShift: boolean;
}

/** the group key and its display name, per groupBy (null: one group for everything) */
const GROUPS: Record<ReportGroupBy | 'all', { key: string; name: string }> = {
  all: { key: `'all'`, name: `'all'` },
  operator: { key: 'c.assignee_id::text', name: 'o.name' },
  team: { key: 'c.team_id::text', name: 't.name' },
  inbox: { key: 'c.inbox_id::text', name: 'i.name' },
  channel: { key: 'i.channel_type', name: 'i.channel_type' },
};

const JOINS = `JOIN inboxes i ON i.id = c.inbox_id LEFT JOIN operators o ON o.id = c.assignee_id LEFT JOIN teams t ON t.id = c.team_id`;

const durationColumns = (seconds: string): string => `count(*)::int AS count, count(${seconds})::int AS measured,
  avg(${seconds})::float8 AS avg,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${seconds})::float8 AS p50,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${seconds})::float8 AS p90`;

/** Aggregates over conversations and messages for the reports (groups by the conversation's current assignee, team, inbox, channel). */
@Injectable()
export class ReportRepository {
  /** conversations created in [from, to) with their first response time (first_response_at − created_at) */
  async created(sql: SqlExecutor, groupBy: ReportGroupBy | null, from: Date, to: Date): Promise<DurationRow[]> {
    const group = GROUPS[groupBy ?? 'all'];
    return sql.rows<DurationRow>(
      `SELECT ${group.key} AS key, ${group.name} AS name, ${durationColumns('extract(epoch FROM c.first_response_at - c.created_at)')}
         FROM conversations c ${JOINS}
        WHERE c.created_at >= $1 AND c.created_at < $2
        GROUP BY 1, 2 ORDER BY 2 NULLS LAST, 1`,
      [from, to],
    );
  }

  /** conversations resolved in [from, to) with their resolution time (resolved_at − created_at) */
  async resolved(sql: SqlExecutor, groupBy: ReportGroupBy | null, from: Date, to: Date): Promise<DurationRow[]> {
    const group = GROUPS[groupBy ?? 'all'];
    return sql.rows<DurationRow>(
      `SELECT ${group.key} AS key, ${group.name} AS name, ${durationColumns('extract(epoch FROM c.resolved_at - c.created_at)')}
         FROM conversations c ${JOINS}
        WHERE c.status = 'resolved' AND c.resolved_at >= $1 AND c.resolved_at < $2
        GROUP BY 1, 2`,
      [from, to],
    );
  }

  /** messages (not notes or events) written in [from, to), in and out */
  async messages(sql: SqlExecutor, groupBy: ReportGroupBy | null, from: Date, to: Date): Promise<MessageCountRow[]> {
    const group = GROUPS[groupBy ?? 'all'];
    return sql.rows<MessageCountRow>(
      `SELECT ${group.key} AS key, ${group.name} AS name,
              count(*) FILTER (WHERE m.direction = 'inbound')::int AS inbound,
              count(*) FILTER (WHERE m.direction = 'outbound')::int AS outbound
         FROM messages m JOIN conversations c ON c.id = m.conversation_id ${JOINS}
        WHERE m.kind = 'message' AND m.created_at >= $1 AND m.created_at < $2
        GROUP BY 1, 2`,
      [from, to],
    );
  }

  /** waiting for an operator (queued, unassigned), per inbox */
  async queues(sql: SqlExecutor): Promise<QueueRow[]> {
    return sql.rows<QueueRow>(
      `SELECT i.id AS "inboxId", i.name AS "inboxName", count(*)::int AS queued,
              max(extract(epoch FROM now() - coalesce(c.waiting_since, c.created_at)))::float8 AS "longestWaitSeconds"
         FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
        WHERE c.status = 'queued' AND c.assignee_id IS NULL
        GROUP BY i.id, i.name ORDER BY queued DESC, i.name`,
    );
  }

  async botConversations(sql: SqlExecutor): Promise<number> {
    const row = await sql.one<{ count: number }>(`SELECT count(*)::int AS count FROM conversations WHERE status = 'bot'`);
    return row?.count ?? 0;
  }

  async operators(sql: SqlExecutor): Promise<OperatorLoadRow[]> {
    return sql.rows<OperatorLoadRow>(
      `SELECT o.id, o.name, o.availability, o.capacity,
              (SELECT count(*) FROM conversations c WHERE c.assignee_id = o.id AND c.status IN ${ACTIVE_STATUS_SQL})::int AS active,
              ${onShiftSql('o')} AS "onShift"
         FROM operators o WHERE o.deleted_at IS NULL ORDER BY o.name, o.id`,
    );
  }
}
