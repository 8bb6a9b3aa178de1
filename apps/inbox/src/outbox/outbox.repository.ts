import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import { utf8Joined } from '../persistence/utf8-param';
import type { OutboxRecord, StoredOutboxRecord } from './outbox-record';
import { OUTBOX_CHANNEL, PENDING_OUTBOX_SQL } from './outbox-relay.loop';

/** Joins the records of one column in enqueue(). */
const SEPARATOR = '\u001e';

/** a field as it is; refused when empty (a lone empty field splits into no element) or holding the separator */
function plain(text: string, what: string): string {
  if (text.length === 0) throw new Error(`an outbox ${what} must not be empty`);
  if (text.includes(SEPARATOR)) throw new Error(`an outbox ${what} must not contain U+001E: ${JSON.stringify(text)}`);
  return text;
}

export { OUTBOX_CHANNEL, PENDING_OUTBOX_SQL };

/**
 * All SQL of the outbox. Writers must hold the row lock of what the key names (the conversation, the
 * inbox) while they enqueue, so that ids of one key are in commit order and the relay keeps per-key order.
 */
@Injectable()
export class OutboxRepository {
  /** inserts the records and wakes the relay (NOTIFY is delivered at commit) */
  async enqueue(sql: SqlExecutor, records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    // Each column goes as one text parameter, the records joined by the ASCII record separator and split
    // again by Postgres: no escaping on either side, and the parameters travel as UTF-8 buffers (utf8Joined)
    // — the cheapest way found to move ~1 KB events in bulk. JSON (the values, the headers) never holds a
    // raw control character; each field is checked anyway.
    const topics: string[] = [];
    const keys: string[] = [];
    const values: string[] = [];
    const headers: string[] = [];
    for (const record of records) {
      topics.push(plain(record.topic, 'topic'));
      keys.push(plain(record.key, 'key'));
      values.push(plain(record.value, 'value'));
      headers.push(JSON.stringify(record.headers));
    }
    await sql.exec(
      `WITH inserted AS (
         INSERT INTO outbox (topic, key, value, headers)
         SELECT u.topic, u.key, u.value, u.headers::jsonb
         FROM unnest(string_to_array($1::text, E'\\x1e'), string_to_array($2::text, E'\\x1e'), string_to_array($3::text, E'\\x1e'), string_to_array($4::text, E'\\x1e'))
           AS u(topic, key, value, headers)
         RETURNING 1
       )
       SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row`,
      [utf8Joined(topics, SEPARATOR), utf8Joined(keys, SEPARATOR), utf8Joined(values, SEPARATOR), utf8Joined(headers, SEPARATOR)],
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
