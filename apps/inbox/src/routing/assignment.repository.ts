import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import { onShiftSql } from './on-shift.sql';
import type { OperatorLoad, RoutableConversation, RoutingPolicy } from './routing.types';

/** Statuses that hold an operator's capacity (kept in one place for every query). */
export const ACTIVE_STATUS_SQL = `('open', 'pending', 'snoozed')`;

export interface LockedOperator {
  id: string;
  name: string;
  availability: string;
  capacity: number;
  deleted: boolean;
  /** on shift now (by the database's clock, in the operator's timezone) */
  onShift: boolean;
  active: number;
}

/** All SQL of routing and assignment. */
@Injectable()
export class AssignmentRepository {
  /** queued conversations in queue order: priority, then SLA due, then waiting since */
  async queueHead(sql: SqlExecutor, limit: number): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT id FROM conversations
       WHERE status = 'queued' AND assignee_id IS NULL
       ORDER BY priority DESC, first_response_due_at ASC NULLS LAST, waiting_since ASC NULLS LAST, created_at, id
       LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /** is any operator online, on shift, with room for one more? (cheap pre-check before walking the queue) */
  async anyFreeCapacity(sql: SqlExecutor): Promise<boolean> {
    const row = await sql.one<{ free: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM operators o
         WHERE o.availability = 'online' AND o.deleted_at IS NULL
           AND o.capacity > (SELECT count(*) FROM conversations c WHERE c.assignee_id = o.id AND c.status IN ${ACTIVE_STATUS_SQL})
           AND ${onShiftSql('o')}
       ) AS free`,
    );
    return row?.free ?? false;
  }

  /** the conversation if it is still queued and unassigned, locked; SKIP LOCKED: someone else is on it */
  async lockQueued(sql: SqlExecutor, conversationId: string): Promise<(RoutableConversation & { policy: RoutingPolicy }) | undefined> {
    return sql.one<RoutableConversation & { policy: RoutingPolicy }>(
      `SELECT c.id, c.inbox_id AS "inboxId", c.team_id AS "teamId", c.required_skills AS "requiredSkills", c.language,
              c.preferred_assignee_id AS "preferredAssigneeId", c.requeued_from_id AS "requeuedFromId",
              coalesce(t.routing_policy, i.routing_policy) AS policy
       FROM conversations c
       JOIN inboxes i ON i.id = c.inbox_id
       LEFT JOIN teams t ON t.id = c.team_id
       WHERE c.id = $1 AND c.status = 'queued' AND c.assignee_id IS NULL
       FOR UPDATE OF c SKIP LOCKED`,
      [conversationId],
    );
  }

  /**
   * Queued conversations of a higher priority than this one (not locked: one another worker holds is
   * still waiting), in queue order — the ones a freed seat should go to first.
   */
  async queuedAhead(sql: SqlExecutor, conversationId: string, limit: number): Promise<Array<RoutableConversation & { policy: RoutingPolicy }>> {
    return sql.rows<RoutableConversation & { policy: RoutingPolicy }>(
      `SELECT c.id, c.inbox_id AS "inboxId", c.team_id AS "teamId", c.required_skills AS "requiredSkills", c.language,
              c.preferred_assignee_id AS "preferredAssigneeId", c.requeued_from_id AS "requeuedFromId",
              coalesce(t.routing_policy, i.routing_policy) AS policy
       FROM conversations c
       JOIN inboxes i ON i.id = c.inbox_id
       LEFT JOIN teams t ON t.id = c.team_id
       WHERE c.status = 'queued' AND c.assignee_id IS NULL
         AND c.priority > (SELECT priority FROM conversations WHERE id = $1)
       ORDER BY c.priority DESC, c.first_response_due_at ASC NULLS LAST, c.waiting_since ASC NULLS LAST, c.created_at, c.id
       LIMIT $2`,
      [conversationId, limit],
    );
  }

  /**
   * Online operators who may take conversations of this team (or, without a team, of this inbox — an
   * inbox without a member list is open to every operator), with their current load and whether they
   * are on shift now (the router leaves out those who are not).
   */
  async candidates(sql: SqlExecutor, conversation: RoutableConversation): Promise<OperatorLoad[]> {
    return sql.rows<OperatorLoad>(
      `SELECT o.id, o.availability, o.capacity, o.skills, o.languages, o.last_assigned_at AS "lastAssignedAt",
              (SELECT count(*) FROM conversations a WHERE a.assignee_id = o.id AND a.status IN ${ACTIVE_STATUS_SQL})::int AS active,
              ${onShiftSql('o')} AS "onShift"
       FROM operators o
       WHERE o.deleted_at IS NULL AND o.availability = 'online'
         AND CASE
               WHEN $1::uuid IS NOT NULL THEN EXISTS (SELECT 1 FROM team_members tm WHERE tm.team_id = $1 AND tm.operator_id = o.id)
               ELSE EXISTS (SELECT 1 FROM inbox_members im WHERE im.inbox_id = $2 AND im.operator_id = o.id)
                    OR NOT EXISTS (SELECT 1 FROM inbox_members im WHERE im.inbox_id = $2)
             END`,
      [conversation.teamId, conversation.inboxId],
    );
  }

  /**
   * The operator row locked FOR UPDATE, and their active count read under that lock. Every path that
   * gives an operator a conversation takes this lock first, so the count cannot grow behind our back.
   * `onShift` is evaluated by the same statement, against the transaction's now().
   */
  async lockOperator(sql: SqlExecutor, operatorId: string): Promise<LockedOperator | undefined> {
    const operator = await sql.one<Omit<LockedOperator, 'active'>>(
      `SELECT o.id, o.name, o.availability, o.capacity, o.deleted_at IS NOT NULL AS deleted, ${onShiftSql('o')} AS "onShift"
         FROM operators o WHERE o.id = $1 FOR UPDATE OF o`,
      [operatorId],
    );
    if (!operator) return undefined;
    const load = await sql.one<{ active: number }>(
      `SELECT count(*)::int AS active FROM conversations WHERE assignee_id = $1 AND status IN ${ACTIVE_STATUS_SQL}`,
      [operatorId],
    );
    return { ...operator, active: load?.active ?? 0 };
  }

  async touchLastAssigned(sql: SqlExecutor, operatorId: string): Promise<void> {
    await sql.exec(`UPDATE operators SET last_assigned_at = clock_timestamp() WHERE id = $1`, [operatorId]);
  }

  /** assigned conversations whose customer has waited longer than the inbox's limit since the assignment */
  async lockUnanswered(sql: SqlExecutor, limit: number): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT c.id FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
       WHERE c.status = 'open' AND c.assignee_id IS NOT NULL AND c.waiting_since IS NOT NULL
         AND i.unanswered_timeout_seconds IS NOT NULL
         AND greatest(c.assigned_at, c.waiting_since) < now() - make_interval(secs => i.unanswered_timeout_seconds)
       ORDER BY c.id
       LIMIT $1
       FOR UPDATE OF c SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /** snoozed conversations whose time has come */
  async lockDueSnoozed(sql: SqlExecutor, limit: number): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT id FROM conversations WHERE status = 'snoozed' AND snoozed_until <= now()
       ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => row.id);
  }
}
