import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { OutboxRecord, StoredOutboxRecord } from './outbox-record';

/** The NOTIFY channel that wakes the relay. */
export const OUTBOX_CHANNEL = 'switchboard_outbox';

/**
 * All SQL of the outbox. Writers must hold the row lock of what the key names (the conversation, the
 * inbox) while they enqueue, so that ids of one key are in commit order and the relay keeps per-key order.
 */
@Injectable()
export class OutboxRepository {
  /** inserts the records and wakes the relay (NOTIFY is delivered at commit) */
  async enqueue(sql: SqlExecutor, records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    // the values are JSON already: they are spliced into the parameter as JSON (not as strings to
    // escape again) and read back verbatim with `->` on json, which keeps their text as written
    const payload = `[${records.map((r) => `{"t":${JSON.stringify(r.topic)},"k":${JSON.stringify(r.key)},"h":${JSON.stringify(r.headers)},"v":${r.value}}`).join(',')}]`;
    await sql.exec(
      `WITH inserted AS (
         INSERT INTO outbox (topic, key, value, headers)
         SELECT e->>'t', e->>'k', (e->'v')::text, (e->'h')::jsonb FROM json_array_elements($1::json) AS e
         RETURNING 1
       )
       SELECT pg_notify('${OUTBOX_CHANNEL}', '') FROM (SELECT 1 FROM inserted LIMIT 1) AS any_row`,
      [payload],
    );
  }

  /** the oldest unpublished records (the relay leader is the only reader) */
  async pending(sql: SqlExecutor, limit: number): Promise<StoredOutboxRecord[]> {
    return sql.rows<StoredOutboxRecord>(
      `SELECT o.id::text AS id, o.topic, o.key, o.value, o.headers FROM outbox o WHERE o.published_at IS NULL ORDER BY o.id LIMIT $1`,
      [limit],
    );
  }

  async remove(sql: SqlExecutor, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await sql.exec(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [ids]);
  }

  async count(sql: SqlExecutor): Promise<number> {
    const row = await sql.one<{ n: string }>(`SELECT count(*) AS n FROM outbox`);
    return Number(row?.n ?? 0);
  }
}
