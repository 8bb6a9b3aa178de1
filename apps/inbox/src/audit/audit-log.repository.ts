import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { RequestActor } from '../http/request-actor';

export interface AuditLogRow {
  id: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** Privileged acts: administration, erasure, export, merges. */
@Injectable()
export class AuditLogRepository {
  async record(sql: SqlExecutor, actor: RequestActor, action: string, targetType: string, targetId: string | null, data: Record<string, unknown> = {}): Promise<void> {
    await sql.exec(`INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, data) VALUES ($1, $2, $3, $4, $5, $6)`, [
      actor.id,
      actor.role,
      action,
      targetType,
      targetId,
      JSON.stringify(data),
    ]);
  }

  async list(sql: SqlExecutor, filter: { beforeId?: string; action?: string; targetType?: string; targetId?: string; limit: number }): Promise<AuditLogRow[]> {
    return sql.rows<AuditLogRow>(
      `SELECT a.id::text AS id, a.actor_id AS "actorId", a.actor_role AS "actorRole", a.action, a.target_type AS "targetType",
              a.target_id AS "targetId", a.data, a.created_at AS "createdAt"
       FROM audit_log a
       WHERE ($1::bigint IS NULL OR a.id < $1::bigint) AND ($2::text IS NULL OR a.action = $2)
         AND ($3::text IS NULL OR a.target_type = $3) AND ($4::text IS NULL OR a.target_id = $4)
       ORDER BY a.id DESC LIMIT $5`,
      [filter.beforeId ?? null, filter.action ?? null, filter.targetType ?? null, filter.targetId ?? null, filter.limit],
    );
  }
}
