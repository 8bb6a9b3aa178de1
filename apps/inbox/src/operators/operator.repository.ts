import { Injectable } from '@nestjs/common';
import type { Availability, OperatorRole } from '../persistence/entities/operator.entity';
import type { SqlExecutor } from '../persistence/sql-executor';
import { onShiftSql } from '../routing/on-shift.sql';
import type { Shift } from './dto/operator.schemas';

export interface OperatorRow {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  languages: string[];
  skills: string[];
  capacity: number;
  availability: Availability;
  availabilityChangedAt: Date | null;
  lastAssignedAt: Date | null;
  createdAt: Date;
  teamIds: string[];
  inboxIds: string[];
  activeConversations: number;
  /** IANA name; the shifts are wall-clock times there */
  timezone: string;
  /** weekly schedule, by weekday (0 = Sunday) and start; empty = always on shift */
  shifts: Shift[];
  /** dated days off ("YYYY-MM-DD", local dates), ascending */
  daysOff: string[];
  /** on shift now, by the database's clock (what routing sees) */
  onShift: boolean;
}

const SELECT = `
  SELECT o.id, o.email, o.name, o.role, o.languages, o.skills, o.capacity, o.availability,
         o.availability_changed_at AS "availabilityChangedAt", o.last_assigned_at AS "lastAssignedAt", o.created_at AS "createdAt",
         coalesce((SELECT array_agg(tm.team_id ORDER BY tm.team_id) FROM team_members tm WHERE tm.operator_id = o.id), '{}') AS "teamIds",
         coalesce((SELECT array_agg(im.inbox_id ORDER BY im.inbox_id) FROM inbox_members im WHERE im.operator_id = o.id), '{}') AS "inboxIds",
         (SELECT count(*)::int FROM conversations c WHERE c.assignee_id = o.id AND c.status IN ('open', 'pending', 'snoozed')) AS "activeConversations",
         o.timezone,
         coalesce((SELECT json_agg(json_build_object('weekday', s.weekday, 'start', to_char(s.starts_at, 'HH24:MI'), 'end', to_char(s.ends_at, 'HH24:MI'))
                                   ORDER BY s.weekday, s.starts_at, s.ends_at)
                     FROM operator_shifts s WHERE s.operator_id = o.id), '[]'::json) AS shifts,
         coalesce((SELECT array_agg(to_char(x.day, 'YYYY-MM-DD') ORDER BY x.day) FROM operator_shift_exceptions x WHERE x.operator_id = o.id), '{}') AS "daysOff",
         ${onShiftSql('o')} AS "onShift"
  FROM operators o`;

/** SQL of operators (administration and availability). */
@Injectable()
export class OperatorRepository {
  async list(sql: SqlExecutor, q: string | undefined, afterName: { name: string; id: string } | undefined, limit: number): Promise<OperatorRow[]> {
    return sql.rows<OperatorRow>(
      `${SELECT}
       WHERE o.deleted_at IS NULL
         AND ($1::text IS NULL OR o.name ILIKE '%' || $1 || '%' OR o.email ILIKE '%' || $1 || '%')
         AND ($2::text IS NULL OR (o.name, o.id) > ($2::text, $3::uuid))
       ORDER BY o.name, o.id LIMIT $4`,
      [q ?? null, afterName?.name ?? null, afterName?.id ?? null, limit],
    );
  }

  async get(sql: SqlExecutor, id: string): Promise<OperatorRow | undefined> {
    return sql.one<OperatorRow>(`${SELECT} WHERE o.id = $1 AND o.deleted_at IS NULL`, [id]);
  }

  async emailTaken(sql: SqlExecutor, email: string, exceptId: string | null): Promise<boolean> {
    const row = await sql.one<{ id: string }>(`SELECT id FROM operators WHERE lower(email) = lower($1) AND deleted_at IS NULL AND ($2::uuid IS NULL OR id <> $2)`, [email, exceptId]);
    return row !== undefined;
  }

  async insert(
    sql: SqlExecutor,
    operator: { id: string; email: string; name: string; role: OperatorRole; passwordHash: string; languages: string[]; skills: string[]; capacity: number; timezone: string },
  ): Promise<void> {
    await sql.exec(
      `INSERT INTO operators (id, email, name, role, password_hash, languages, skills, capacity, timezone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [operator.id, operator.email, operator.name, operator.role, operator.passwordHash, operator.languages, operator.skills, operator.capacity, operator.timezone],
    );
  }

  async update(
    sql: SqlExecutor,
    id: string,
    fields: Partial<{ email: string; name: string; role: OperatorRole; passwordHash: string; languages: string[]; skills: string[]; capacity: number; timezone: string }>,
  ): Promise<void> {
    const columns: Record<string, string> = {
      email: 'email',
      name: 'name',
      role: 'role',
      passwordHash: 'password_hash',
      languages: 'languages',
      skills: 'skills',
      capacity: 'capacity',
      timezone: 'timezone',
    };
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, column] of Object.entries(columns)) {
      const value = (fields as Record<string, unknown>)[key];
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
    if (sets.length === 0) return;
    await sql.exec(`UPDATE operators SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }

  async replaceTeams(sql: SqlExecutor, operatorId: string, teamIds: readonly string[]): Promise<void> {
    await sql.exec(`DELETE FROM team_members WHERE operator_id = $1`, [operatorId]);
    if (teamIds.length > 0) {
      await sql.exec(`INSERT INTO team_members (team_id, operator_id) SELECT t.id, $1 FROM teams t WHERE t.id = ANY($2::uuid[]) AND t.deleted_at IS NULL`, [operatorId, teamIds]);
    }
  }

  async replaceInboxes(sql: SqlExecutor, operatorId: string, inboxIds: readonly string[]): Promise<void> {
    await sql.exec(`DELETE FROM inbox_members WHERE operator_id = $1`, [operatorId]);
    if (inboxIds.length > 0) {
      await sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) SELECT i.id, $1 FROM inboxes i WHERE i.id = ANY($2::uuid[]) AND i.deleted_at IS NULL`, [operatorId, inboxIds]);
    }
  }

  /** the whole weekly schedule is replaced (an empty list: always on shift) */
  async replaceShifts(sql: SqlExecutor, operatorId: string, shifts: ReadonlyArray<Shift & { id: string }>): Promise<void> {
    await sql.exec(`DELETE FROM operator_shifts WHERE operator_id = $1`, [operatorId]);
    if (shifts.length === 0) return;
    await sql.exec(
      `INSERT INTO operator_shifts (id, operator_id, weekday, starts_at, ends_at)
       SELECT s.id, $1, s.weekday, s.starts_at, s.ends_at
         FROM unnest($2::uuid[], $3::smallint[], $4::time[], $5::time[]) AS s (id, weekday, starts_at, ends_at)`,
      [operatorId, shifts.map((shift) => shift.id), shifts.map((shift) => shift.weekday), shifts.map((shift) => shift.start), shifts.map((shift) => shift.end)],
    );
  }

  /** the whole set of days off is replaced */
  async replaceDaysOff(sql: SqlExecutor, operatorId: string, days: readonly string[]): Promise<void> {
    await sql.exec(`DELETE FROM operator_shift_exceptions WHERE operator_id = $1`, [operatorId]);
    if (days.length === 0) return;
    await sql.exec(
      `INSERT INTO operator_shift_exceptions (operator_id, day) SELECT DISTINCT $1::uuid, d FROM unnest($2::date[]) AS d`,
      [operatorId, days],
    );
  }

  /** the name as Postgres' tz database spells it (it evaluates the shifts), or undefined if it has no such zone */
  async canonicalTimezone(sql: SqlExecutor, name: string): Promise<string | undefined> {
    const row = await sql.one<{ name: string }>(`SELECT name FROM pg_timezone_names WHERE lower(name) = lower($1) ORDER BY name = $1 DESC, name LIMIT 1`, [name]);
    return row?.name;
  }

  async existing(sql: SqlExecutor, table: 'teams' | 'inboxes', ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await sql.rows<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`, [ids]);
    return new Set(rows.map((row) => row.id));
  }

  /** availability: the operator row is locked (routing locks it too, so an assignment sees the change at once) */
  async setAvailability(sql: SqlExecutor, id: string, availability: Availability): Promise<boolean> {
    const count = await sql.exec(
      `UPDATE operators SET availability = $2, availability_changed_at = now(), updated_at = now() WHERE id = $1 AND deleted_at IS NULL`,
      [id, availability],
    );
    return count > 0;
  }

  async softDelete(sql: SqlExecutor, id: string): Promise<boolean> {
    const count = await sql.exec(
      `UPDATE operators SET deleted_at = now(), availability = 'offline', email = email || '#deleted-' || id, password_hash = NULL WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    await sql.exec(`DELETE FROM team_members WHERE operator_id = $1`, [id]);
    await sql.exec(`DELETE FROM inbox_members WHERE operator_id = $1`, [id]);
    return count > 0;
  }

  /** their conversations in an active status, locked, to go back to the queue */
  async lockActiveConversationIds(sql: SqlExecutor, operatorId: string): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT id FROM conversations WHERE assignee_id = $1 AND status IN ('open', 'pending', 'snoozed') ORDER BY id FOR UPDATE`,
      [operatorId],
    );
    return rows.map((row) => row.id);
  }
}
