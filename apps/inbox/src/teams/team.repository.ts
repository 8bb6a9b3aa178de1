import { Injectable } from '@nestjs/common';
import type { RoutingPolicy } from '../persistence/entities/team.entity';
import type { SqlExecutor } from '../persistence/sql-executor';

export interface TeamRow {
  id: string;
  name: string;
  routing: RoutingPolicy;
  memberIds: string[];
  createdAt: Date;
}

const SELECT = `
  SELECT t.id, t.name, t.routing_policy AS routing, t.created_at AS "createdAt",
         coalesce((SELECT array_agg(tm.operator_id ORDER BY tm.operator_id) FROM team_members tm WHERE tm.team_id = t.id), '{}') AS "memberIds"
  FROM teams t`;

@Injectable()
export class TeamRepository {
  list(sql: SqlExecutor): Promise<TeamRow[]> {
    return sql.rows<TeamRow>(`${SELECT} WHERE t.deleted_at IS NULL ORDER BY t.name, t.id`);
  }

  get(sql: SqlExecutor, id: string): Promise<TeamRow | undefined> {
    return sql.one<TeamRow>(`${SELECT} WHERE t.id = $1 AND t.deleted_at IS NULL`, [id]);
  }

  async insert(sql: SqlExecutor, id: string, name: string, routing: RoutingPolicy): Promise<void> {
    await sql.exec(`INSERT INTO teams (id, name, routing_policy) VALUES ($1, $2, $3)`, [id, name, routing]);
  }

  async update(sql: SqlExecutor, id: string, name: string | undefined, routing: RoutingPolicy | undefined): Promise<void> {
    await sql.exec(`UPDATE teams SET name = coalesce($2, name), routing_policy = coalesce($3, routing_policy), updated_at = now() WHERE id = $1`, [id, name ?? null, routing ?? null]);
  }

  /** @returns member ids that are not operators */
  async replaceMembers(sql: SqlExecutor, id: string, memberIds: readonly string[]): Promise<string[]> {
    const known = await sql.rows<{ id: string }>(`SELECT id FROM operators WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`, [memberIds]);
    const knownIds = new Set(known.map((row) => row.id));
    const unknown = memberIds.filter((memberId) => !knownIds.has(memberId));
    if (unknown.length > 0) return unknown;
    await sql.exec(`DELETE FROM team_members WHERE team_id = $1`, [id]);
    await sql.exec(`INSERT INTO team_members (team_id, operator_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, memberIds]);
    return [];
  }

  async softDelete(sql: SqlExecutor, id: string): Promise<boolean> {
    const count = await sql.exec(`UPDATE teams SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id]);
    await sql.exec(`DELETE FROM team_members WHERE team_id = $1`, [id]);
    await sql.exec(`UPDATE inboxes SET default_team_id = NULL WHERE default_team_id = $1`, [id]);
    return count > 0;
  }
}
