import { Injectable } from '@nestjs/common';
import type { RequestActor } from '../http/request-actor';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { CannedResponseRecord } from './canned-response-record';

export interface CannedResponseFilter {
  /** visible inbox ids, or null for all */
  visibleInboxIds: string[] | null;
  inboxId?: string;
  language?: string;
  /** lower-cased, LIKE-escaped text */
  text?: string;
  limit: number;
}

export interface CannedResponseFields {
  shortcut: string;
  title: string;
  body: string;
  language: string | null;
  inboxIds: string[];
}

/** What a script's variables are filled from. */
export interface RenderContext {
  inboxId: string;
  conversationId: string;
  subject: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  inboxName: string;
  channel: string;
}

interface Row {
  id: string;
  shortcut: string;
  title: string;
  body: string;
  language: string | null;
  inboxIds: string[];
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT = `r.id, r.shortcut, r.title, r.body, r.language, r.inbox_ids AS "inboxIds", r.created_by AS "createdBy",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

const VISIBLE = `($1::uuid[] IS NULL OR cardinality(r.inbox_ids) = 0 OR r.inbox_ids && $1::uuid[])`;

/** SQL of scripts (canned_responses; shortcut unique case-insensitively among the live ones). */
@Injectable()
export class CannedResponseRepository {
  async list(sql: SqlExecutor, filter: CannedResponseFilter): Promise<CannedResponseRecord[]> {
    const rows = await sql.rows<Row>(
      `SELECT ${SELECT} FROM canned_responses r
        WHERE r.deleted_at IS NULL AND ${VISIBLE}
          AND ($2::uuid IS NULL OR cardinality(r.inbox_ids) = 0 OR $2::uuid = ANY(r.inbox_ids))
          AND ($3::text IS NULL OR r.language IS NULL OR lower(r.language) = lower($3))
          AND ($4::text IS NULL OR lower(r.shortcut) LIKE $4 || '%' OR lower(r.title) LIKE '%' || $4 || '%')
        ORDER BY lower(r.shortcut), r.id
        LIMIT $5`,
      [filter.visibleInboxIds, filter.inboxId ?? null, filter.language ?? null, filter.text ?? null, filter.limit],
    );
    return rows.map(toRecord);
  }

  async findVisible(sql: SqlExecutor, id: string, visibleInboxIds: string[] | null, lock = false): Promise<CannedResponseRecord | undefined> {
    const row = await sql.one<Row>(`SELECT ${SELECT} FROM canned_responses r WHERE r.id = $2 AND r.deleted_at IS NULL AND ${VISIBLE}${lock ? ' FOR UPDATE' : ''}`, [
      visibleInboxIds,
      id,
    ]);
    return row ? toRecord(row) : undefined;
  }

  async insert(sql: SqlExecutor, id: string, fields: CannedResponseFields, createdBy: string | null): Promise<void> {
    await sql.exec(`INSERT INTO canned_responses (id, shortcut, title, body, language, inbox_ids, created_by) VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7)`, [
      id,
      fields.shortcut,
      fields.title,
      fields.body,
      fields.language,
      fields.inboxIds,
      createdBy,
    ]);
  }

  async update(sql: SqlExecutor, id: string, fields: CannedResponseFields): Promise<void> {
    await sql.exec(
      `UPDATE canned_responses SET shortcut = $2, title = $3, body = $4, language = $5, inbox_ids = $6::uuid[], updated_at = now() WHERE id = $1`,
      [id, fields.shortcut, fields.title, fields.body, fields.language, fields.inboxIds],
    );
  }

  async softDelete(sql: SqlExecutor, id: string): Promise<number> {
    return sql.exec(`UPDATE canned_responses SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id]);
  }

  /** the ids among `ids` that are live inboxes */
  async existingInboxIds(sql: SqlExecutor, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await sql.rows<{ id: string }>(`SELECT id FROM inboxes WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`, [ids]);
    return rows.map((row) => row.id);
  }

  async renderContext(sql: SqlExecutor, conversationId: string): Promise<RenderContext | undefined> {
    return sql.one<RenderContext>(
      `SELECT c.inbox_id AS "inboxId", c.id AS "conversationId", c.subject, ct.name AS "contactName", ct.email AS "contactEmail", ct.phone AS "contactPhone",
              i.name AS "inboxName", i.channel_type AS channel
         FROM conversations c JOIN inboxes i ON i.id = c.inbox_id JOIN contacts ct ON ct.id = c.contact_id
        WHERE c.id = $1`,
      [conversationId],
    );
  }

  async operatorName(sql: SqlExecutor, operatorId: string): Promise<string | null> {
    const row = await sql.one<{ name: string }>(`SELECT name FROM operators WHERE id = $1`, [operatorId]);
    return row?.name ?? null;
  }

  async audit(sql: SqlExecutor, actor: RequestActor, action: string, id: string, data: Record<string, unknown>): Promise<void> {
    await sql.exec(`INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, data) VALUES ($1, $2, $3, 'canned_response', $4, $5::jsonb)`, [
      actor.id,
      actor.role,
      action,
      id,
      JSON.stringify(data),
    ]);
  }
}

function toRecord(row: Row): CannedResponseRecord {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    language: row.language,
    inboxIds: row.inboxIds,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
