import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import { textArrayParam } from '../persistence/text-array-param';
import type { OutboxRecord, StoredOutboxRecord } from './outbox-record';
import { OUTBOX_CHANNEL, PENDING_OUTBOX_SQL } from './outbox-relay.loop';

/** a topic or a key: refused when empty (a record must go somewhere, and its key orders it) */
function named(text: string, what: string): string {
  if (text.length === 0) throw new Error(`an outbox ${what} must not be empty`);
  return text;
}

export { OUTBOX_CHANNEL, PENDING_OUTBOX_SQL };

/**
 * All SQL of the outbox. Writers must hold the row lock of what the key names (the conversation, the
 * inbox) while they enqueue, so that ids of one key are in commit order and the relay keeps per-key order.
 */
@Injectable()
export class OutboxRepository {
  /** inserts the records; the outbox's trigger wakes the relay (NOTIFY is delivered at commit) */
  async enqueue(sql: SqlExecutor, records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    // One binary text[] parameter a column (textArrayParam): no escaping on either side, and nothing the
    // planner folds or copies. (Each column used to go as one text, joined by a separator and split by
    // string_to_array inside a CTE that also sent the NOTIFY: the split ran at planning time over ~700 KB and the
    // CTE was copied with its constants, 11 ms of planning a batch. The trigger of migration 1744 notifies now.)
    const topics: string[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    const headers: string[] = [];
    for (const record of records) {
      topics.push(named(record.topic, 'topic'));
      keys.push(named(record.key, 'key'));
      values.push(record.value);
      headers.push(JSON.stringify(record.headers));
    }
    await sql.exec(
      `INSERT INTO outbox (topic, key, value, headers)
       SELECT u.topic, u.key, u.value, u.headers::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(topic, key, value, headers)`,
      [textArrayParam(topics), textArrayParam(keys), textArrayParam(values), textArrayParam(headers)],
    );
  }

  /** the oldest unpublished records (the relay leader is the only reader) */
  async pending(sql: SqlExecutor, limit: number): Promise<StoredOutboxRecord[]> {
    return sql.rows<StoredOutboxRecord>(PENDING_OUTBOX_SQL, [limit]);
  }

  async count(sql: SqlExecutor): Promise<number> {
    const row = await sql.one<{ n: string }>(`SELECT count(*) AS n FROM outbox`);
    return Number(row?.n ?? 0);
  }
}
