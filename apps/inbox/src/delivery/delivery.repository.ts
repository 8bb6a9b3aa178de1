import { Injectable } from '@nestjs/common';
import type { MessageEntity } from '../persistence/entities/message.entity';
import { MESSAGE_COLUMNS } from '../persistence/message-columns';
import { fromRow, selectList } from '../persistence/row-mapping';
import type { SqlExecutor } from '../persistence/sql-executor';

/** SQL of delivery receipts and channel status reports. */
@Injectable()
export class DeliveryRepository {
  async messages(sql: SqlExecutor, ids: readonly string[]): Promise<MessageEntity[]> {
    if (ids.length === 0) return [];
    const rows = await sql.rows<Record<string, unknown>>(`SELECT ${selectList(MESSAGE_COLUMNS, 'm')} FROM messages m WHERE m.id = ANY($1::uuid[])`, [ids]);
    return rows.map((row) => fromRow(MESSAGE_COLUMNS, row));
  }

  /** sent: the channel's id is stored unless another message of the inbox already has it */
  async markSent(sql: SqlExecutor, messageId: string, externalId: string): Promise<void> {
    await sql.exec(
      `UPDATE messages m SET delivery_status = 'sent', failure_code = NULL, failure_reason = NULL,
              external_id = CASE WHEN EXISTS (SELECT 1 FROM messages o WHERE o.inbox_id = m.inbox_id AND o.external_id = $2 AND o.id <> m.id)
                                 THEN m.external_id ELSE $2 END
       WHERE m.id = $1`,
      [messageId, externalId],
    );
  }

  async markFailed(sql: SqlExecutor, messageId: string, code: string, reason: string): Promise<void> {
    await sql.exec(`UPDATE messages SET delivery_status = 'failed', failure_code = $2, failure_reason = $3 WHERE id = $1`, [messageId, code, reason]);
  }

  /** @returns false when a newer report was stored already */
  async updateChannelStatus(sql: SqlExecutor, inboxId: string, state: string, reason: string | null, at: Date): Promise<boolean> {
    const count = await sql.exec(
      `UPDATE inboxes SET channel_status = $2, channel_status_reason = $3, channel_status_at = $4
       WHERE id = $1 AND (channel_status_at IS NULL OR channel_status_at <= $4)`,
      [inboxId, state, reason, at],
    );
    return count > 0;
  }
}
