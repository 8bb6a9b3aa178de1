import { createTestDatabase, type TestDatabase } from '@switchboard/testing';
import { Client } from 'pg';
import { InboxDatabase } from '../../persistence/inbox-database';
import type { OutboxRecord } from '../outbox-record';
import { OUTBOX_CHANNEL, OutboxRepository, PENDING_OUTBOX_SQL } from '../outbox.repository';

describe('OutboxRepository (real Postgres)', () => {
  let database: TestDatabase;
  let db: InboxDatabase;
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await InboxDatabase.open({ url: database.url, poolSize: 2 });
    await db.migrate();
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  beforeEach(() => db.transaction((sql) => sql.exec('DELETE FROM outbox')));

  const record = (key: string, data: unknown, headers: Record<string, string> = {}): OutboxRecord => ({
    topic: 'inbox.events.v1',
    key,
    value: JSON.stringify({ id: key, data }),
    headers,
  });

  it('stores every record byte for byte, in order, whatever the text holds', async () => {
    const records = [
      record('c-1', { text: 'Где мой заказ? "quoted" \\ back\\slash' }, { 'x-correlation-id': 'a"b' }),
      record('c-2', { text: 'control characters stay escaped: \u001e \u001f \u0000 \n\t' }),
      record('c-3', { text: 'سلام — emoji 📦, an empty field next', empty: '' }),
      record('c-4', {}),
      ...Array.from({ length: 500 }, (_, index) => record(`bulk-${index}`, { index, text: 'x'.repeat(index) })),
    ];
    await db.transaction((sql) => outbox.enqueue(sql, records));
    const stored = await db.run((sql) => outbox.pending(sql, 1000));
    expect(stored.map(({ topic, key, value, headers }) => ({ topic, key, value, headers }))).toEqual(records);
    expect(stored[1].value).toContain('\\u001e');
  });

  it('refuses an empty key or topic, and writes nothing of that call', async () => {
    await expect(db.transaction((sql) => outbox.enqueue(sql, [record('ok', 1), record('', 2)]))).rejects.toThrow(/key must not be empty/);
    await expect(db.transaction((sql) => outbox.enqueue(sql, [{ ...record('ok', 1), topic: '' }]))).rejects.toThrow(/topic must not be empty/);
    expect(await db.run((sql) => outbox.count(sql))).toBe(0);
  });

  it('keeps keys and topics whatever characters they hold, control characters and quotes included', async () => {
    const records = [record('a\u001eb,"c"\\{d}', 1), { ...record('k', 2), topic: 'topic\u001f.v1' }, record('NULL', 3)];
    await db.transaction((sql) => outbox.enqueue(sql, records));
    const stored = await db.run((sql) => outbox.pending(sql, 10));
    expect(stored.map(({ topic, key }) => ({ topic, key }))).toEqual(records.map(({ topic, key }) => ({ topic, key })));
  });

  it('wakes the relay (NOTIFY) when the records commit, not before', async () => {
    const listener = new Client({ connectionString: database.url });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (message) => heard.push(message.channel));
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      await db.transaction(async (sql) => {
        await outbox.enqueue(sql, [record('n-1', 1), record('n-2', 2)]);
        await listener.query('SELECT 1'); // a round trip: a notification sent now would have arrived
        expect(heard).toEqual([]);
      });
      for (let waited = 0; heard.length === 0 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(heard).toEqual([OUTBOX_CHANNEL]);
    } finally {
      await listener.end();
    }
  });

  it("the relay's read walks the primary key from the oldest row, even over many rows deleted and never vacuumed", async () => {
    // the state between two autovacuums under load: most of the table is rows already published
    for (let round = 0; round < 4; round += 1) {
      await db.transaction((sql) => outbox.enqueue(sql, Array.from({ length: 5000 }, (_, index) => record(`dead-${round}-${index}`, { text: 'x'.repeat(600) }))));
      await db.transaction((sql) => sql.exec('DELETE FROM outbox'));
    }
    await db.transaction((sql) => outbox.enqueue(sql, Array.from({ length: 30 }, (_, index) => record(`live-${index}`, index))));

    const [{ 'QUERY PLAN': plans }] = await db.run((sql) =>
      sql.rows<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${PENDING_OUTBOX_SQL.replace('$1', '1000')}`),
    );
    const nodes = flatten(plans[0].Plan);
    expect(nodes.map((node) => node['Node Type'])).toEqual(['Limit', 'Index Scan']);
    expect(nodes[1]['Index Name']).toBe('outbox_pkey');
    expect((await db.run((sql) => outbox.pending(sql, 10))).map((row) => row.key)).toEqual(Array.from({ length: 10 }, (_, index) => `live-${index}`));
  });
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
