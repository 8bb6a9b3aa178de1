import { Injectable } from '@nestjs/common';
import type { EncryptedSecret } from '@switchboard/common';
import type { SqlExecutor } from '../persistence/sql-executor';

export interface InboxRow {
  id: string;
  channelType: string;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  secrets: Record<string, EncryptedSecret>;
  configVersion: number;
  publicKey: string | null;
  defaultTeamId: string | null;
  botId: string | null;
  routingPolicy: string;
  sticky: boolean;
  newConversationAfterDays: number | null;
  unansweredTimeoutSeconds: number | null;
  firstResponseSlaSeconds: number | null;
  resolutionSlaSeconds: number | null;
  botTimeoutSeconds: number;
  handoffKeywords: string[] | null;
  channelStatus: string;
  channelStatusReason: string | null;
  channelStatusAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  memberIds: string[];
}

export type InboxWrite = Omit<InboxRow, 'channelStatus' | 'channelStatusReason' | 'channelStatusAt' | 'createdAt' | 'updatedAt' | 'deletedAt' | 'memberIds'>;

const SELECT = `
  SELECT i.id, i.channel_type AS "channelType", i.name, i.enabled, i.settings, i.secrets, i.config_version AS "configVersion",
         i.public_key AS "publicKey", i.default_team_id AS "defaultTeamId", i.bot_id AS "botId", i.routing_policy AS "routingPolicy",
         i.sticky, i.new_conversation_after_days AS "newConversationAfterDays", i.unanswered_timeout_seconds AS "unansweredTimeoutSeconds",
         i.first_response_sla_seconds AS "firstResponseSlaSeconds", i.resolution_sla_seconds AS "resolutionSlaSeconds",
         i.bot_timeout_seconds AS "botTimeoutSeconds", i.handoff_keywords AS "handoffKeywords",
         i.channel_status AS "channelStatus", i.channel_status_reason AS "channelStatusReason", i.channel_status_at AS "channelStatusAt",
         i.created_at AS "createdAt", i.updated_at AS "updatedAt", i.deleted_at AS "deletedAt",
         coalesce((SELECT array_agg(m.operator_id ORDER BY m.operator_id) FROM inbox_members m WHERE m.inbox_id = i.id), '{}') AS "memberIds"
  FROM inboxes i`;

/** SQL of inbox administration. */
@Injectable()
export class InboxRepository {
  list(sql: SqlExecutor, visible: string[] | null): Promise<InboxRow[]> {
    return sql.rows<InboxRow>(`${SELECT} WHERE i.deleted_at IS NULL AND ($1::uuid[] IS NULL OR i.id = ANY($1::uuid[])) ORDER BY i.name, i.id`, [visible]);
  }

  /** locked: writers of the inbox's channel config keep its per-key order */
  lock(sql: SqlExecutor, id: string): Promise<InboxRow | undefined> {
    return sql.one<InboxRow>(`${SELECT} WHERE i.id = $1 AND i.deleted_at IS NULL FOR UPDATE OF i`, [id]);
  }

  get(sql: SqlExecutor, id: string): Promise<InboxRow | undefined> {
    return sql.one<InboxRow>(`${SELECT} WHERE i.id = $1 AND i.deleted_at IS NULL`, [id]);
  }

  async insert(sql: SqlExecutor, row: InboxWrite): Promise<void> {
    await sql.exec(
      `INSERT INTO inboxes (id, channel_type, name, enabled, settings, secrets, config_version, public_key, default_team_id, bot_id,
                            routing_policy, sticky, new_conversation_after_days, unanswered_timeout_seconds, first_response_sla_seconds, resolution_sla_seconds,
                            bot_timeout_seconds, handoff_keywords)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [row.id, row.channelType, row.name, row.enabled, JSON.stringify(row.settings), JSON.stringify(row.secrets), row.configVersion, row.publicKey, row.defaultTeamId, row.botId,
        row.routingPolicy, row.sticky, row.newConversationAfterDays, row.unansweredTimeoutSeconds, row.firstResponseSlaSeconds, row.resolutionSlaSeconds,
        row.botTimeoutSeconds, row.handoffKeywords],
    );
  }

  async update(sql: SqlExecutor, row: InboxWrite): Promise<void> {
    await sql.exec(
      `UPDATE inboxes SET name = $2, enabled = $3, settings = $4, secrets = $5, config_version = $6, default_team_id = $7, bot_id = $8,
              routing_policy = $9, sticky = $10, new_conversation_after_days = $11, unanswered_timeout_seconds = $12,
              first_response_sla_seconds = $13, resolution_sla_seconds = $14, bot_timeout_seconds = $15, handoff_keywords = $16, updated_at = now()
       WHERE id = $1`,
      [row.id, row.name, row.enabled, JSON.stringify(row.settings), JSON.stringify(row.secrets), row.configVersion, row.defaultTeamId, row.botId,
        row.routingPolicy, row.sticky, row.newConversationAfterDays, row.unansweredTimeoutSeconds, row.firstResponseSlaSeconds, row.resolutionSlaSeconds,
        row.botTimeoutSeconds, row.handoffKeywords],
    );
  }

  async softDelete(sql: SqlExecutor, id: string, version: number): Promise<void> {
    await sql.exec(`UPDATE inboxes SET deleted_at = now(), enabled = false, config_version = $2, updated_at = now() WHERE id = $1`, [id, version]);
  }

  async replaceMembers(sql: SqlExecutor, id: string, memberIds: readonly string[]): Promise<string[]> {
    const known = await sql.rows<{ id: string }>(`SELECT id FROM operators WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL`, [memberIds]);
    const knownIds = new Set(known.map((row) => row.id));
    const unknown = memberIds.filter((memberId) => !knownIds.has(memberId));
    if (unknown.length > 0) return unknown;
    await sql.exec(`DELETE FROM inbox_members WHERE inbox_id = $1`, [id]);
    await sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, memberIds]);
    return [];
  }

  async exists(sql: SqlExecutor, table: 'teams' | 'bots', id: string): Promise<boolean> {
    const row = await sql.one<{ id: string }>(`SELECT id FROM ${table} WHERE id = $1 AND deleted_at IS NULL`, [id]);
    return row !== undefined;
  }
}
