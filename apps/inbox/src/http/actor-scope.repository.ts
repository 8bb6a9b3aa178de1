import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';

/** Which inboxes an operator or a bot may see (the same rule as the gateway's auth store). */
@Injectable()
export class ActorScopeRepository {
  async operatorInboxIds(sql: SqlExecutor, operatorId: string): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT m.inbox_id AS id FROM inbox_members m JOIN inboxes i ON i.id = m.inbox_id
         WHERE m.operator_id = $1 AND i.deleted_at IS NULL
       UNION
       SELECT i.id FROM inboxes i JOIN team_members tm ON tm.team_id = i.default_team_id
         WHERE tm.operator_id = $1 AND i.deleted_at IS NULL`,
      [operatorId],
    );
    return rows.map((row) => row.id);
  }

  async botInboxIds(sql: SqlExecutor, botId: string): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(`SELECT id FROM inboxes WHERE bot_id = $1 AND deleted_at IS NULL`, [botId]);
    return rows.map((row) => row.id);
  }

  async operatorTeamIds(sql: SqlExecutor, operatorId: string): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(`SELECT team_id AS id FROM team_members WHERE operator_id = $1`, [operatorId]);
    return rows.map((row) => row.id);
  }
}
