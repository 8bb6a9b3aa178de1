import { Inject, Injectable } from '@nestjs/common';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { InboxDatabase } from '../persistence/inbox-database';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { InboxProfile } from './inbox-profile';

interface InboxRow {
  id: string;
  channelType: string;
  name: string;
  enabled: boolean;
  deletedAt: Date | null;
  botId: string | null;
  defaultTeamId: string | null;
  defaultTeamName: string | null;
  routingPolicy: InboxProfile['routingPolicy'];
  sticky: boolean;
  newConversationAfterDays: number | null;
  unansweredTimeoutSeconds: number | null;
  firstResponseSlaSeconds: number | null;
  resolutionSlaSeconds: number | null;
  settings: Record<string, unknown>;
}

const TTL_MS = 5_000;
const EMAIL_LIKE = /^[^\s@]+@[^\s@]+$/;

/** Inbox profiles for the hot path, cached for a few seconds (admin changes invalidate at once in-process). */
@Injectable()
export class InboxDirectory {
  private readonly cache = new Map<string, { profile: InboxProfile; at: number }>();

  constructor(@Inject(INBOX_DATABASE) private readonly db: InboxDatabase) {}

  async get(ids: readonly string[], sql?: SqlExecutor): Promise<Map<string, InboxProfile>> {
    const now = Date.now();
    const out = new Map<string, InboxProfile>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = this.cache.get(id);
      if (hit && now - hit.at < TTL_MS) out.set(id, hit.profile);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const load = (executor: SqlExecutor) =>
        executor.rows<InboxRow>(
          `SELECT i.id, i.channel_type AS "channelType", i.name, i.enabled, i.deleted_at AS "deletedAt", i.bot_id AS "botId",
                  i.default_team_id AS "defaultTeamId", t.name AS "defaultTeamName", i.routing_policy AS "routingPolicy",
                  i.sticky, i.new_conversation_after_days AS "newConversationAfterDays",
                  i.unanswered_timeout_seconds AS "unansweredTimeoutSeconds",
                  i.first_response_sla_seconds AS "firstResponseSlaSeconds", i.resolution_sla_seconds AS "resolutionSlaSeconds",
                  i.settings
           FROM inboxes i LEFT JOIN teams t ON t.id = i.default_team_id
           WHERE i.id = ANY($1::uuid[])`,
          [missing],
        );
      const rows = sql ? await load(sql) : await this.db.run(load);
      for (const row of rows) {
        const profile = toProfile(row);
        this.cache.set(row.id, { profile, at: now });
        out.set(row.id, profile);
      }
    }
    return out;
  }

  async one(id: string, sql?: SqlExecutor): Promise<InboxProfile | undefined> {
    return (await this.get([id], sql)).get(id);
  }

  invalidate(id: string): void {
    this.cache.delete(id);
  }
}

function toProfile(row: InboxRow): InboxProfile {
  return {
    id: row.id,
    channelType: row.channelType,
    name: row.name,
    enabled: row.enabled,
    deleted: row.deletedAt !== null,
    botId: row.botId,
    defaultTeamId: row.defaultTeamId,
    defaultTeamName: row.defaultTeamName,
    routingPolicy: row.routingPolicy,
    sticky: row.sticky,
    newConversationAfterDays: row.newConversationAfterDays,
    unansweredTimeoutSeconds: row.unansweredTimeoutSeconds,
    firstResponseSlaSeconds: row.firstResponseSlaSeconds,
    resolutionSlaSeconds: row.resolutionSlaSeconds,
    ownAddresses: collectAddresses(row.settings),
  };
}

function collectAddresses(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (EMAIL_LIKE.test(value.trim())) out.add(value.trim().toLowerCase());
  } else if (Array.isArray(value)) {
    for (const item of value) collectAddresses(item, out);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectAddresses(item, out);
  }
  return out;
}
