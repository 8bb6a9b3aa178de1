import { InMemoryBus, KafkaBus, type BusMessage, type MessageBus } from '@switchboard/common';
import type { Client } from 'pg';
import type { Worker } from 'node:worker_threads';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '@switchboard/testing';
import { InboxDatabase } from '../../persistence/inbox-database';
import { RelayLoop } from '../outbox-relay.loop';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox-relay.service';
import { OutboxRepository } from '../outbox.repository';
import type { OutboxRecord } from '../outbox-record';

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('OutboxRelay on its worker thread (real Kafka + Postgres)', () => {
  const prefix = `${uniqueName('relay')}.`;
  const topic = 'inbox.events.v1';
  let database: TestDatabase;
  let db: InboxDatabase;
  let bus: KafkaBus;
  const seen: Array<{ key: string; value: string }> = [];
  const relays: OutboxRelay[] = [];
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await InboxDatabase.open({ url: database.url, poolSize: 2 });
    await db.migrate();
    bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'relay-test', topicPrefix: prefix, defaultPartitions: 3 });
    await bus.subscribe({
      groupId: uniqueName('relay-reader'),
      topics: [topic],
      fromBeginning: true,
      eachMessage: async (message: BusMessage) => {
        seen.push({ key: message.key, value: message.value.toString('utf8') });
      },
    });
  }, 60_000);

  afterAll(async () => {
    for (const relay of relays) await relay.onModuleDestroy();
    await bus?.close();
    await db?.close();
    await database?.drop();
  });

  /** a relay as an inbox instance runs it; the injected bus is only for the thread-less mode, so none is given */
  const startRelay = (): OutboxRelay => {
    const options: OutboxRelayOptions = {
      databaseUrl: database.url,
      pollIntervalMs: 200,
      leaderRetryMs: 200,
      thread: { brokers: kafkaBrokers(), clientId: 'relay-test-thread', topicPrefix: prefix, defaultPartitions: 3 },
    };
    const relay = new OutboxRelay(null as unknown as MessageBus, options);
    relay.onApplicationBootstrap();
    relays.push(relay);
    return relay;
  };
  const records = (key: string, count: number, from = 0): OutboxRecord[] =>
    Array.from({ length: count }, (_, index) => ({ topic, key, value: JSON.stringify({ n: from + index }), headers: { 'x-test': key } }));
  const valuesOf = (key: string) => seen.filter((record) => record.key === key).map((record) => (JSON.parse(record.value) as { n: number }).n);

  it('publishes in order per key from the thread, one leader among two instances, and hands over when the leader stops', async () => {
    const first = startRelay();
    await until(() => first.isLeader, 'the first relay to lead');
    const second = startRelay();

    await db.transaction((sql) => outbox.enqueue(sql, records('a', 40)));
    await db.transaction((sql) => outbox.enqueue(sql, records('b', 10)));
    await until(() => valuesOf('a').length === 40 && valuesOf('b').length === 10, 'both keys published');
    expect(valuesOf('a')).toEqual(Array.from({ length: 40 }, (_, n) => n));
    // the thread reports a round after it has deleted the rows: the reader can see the records first
    await until(() => first.published === 50, 'the first relay to report 50 published');
    expect(first.published).toBe(50);
    expect(second.isLeader).toBe(false);
    expect(second.published).toBe(0);
    expect(await db.run((sql) => outbox.count(sql))).toBe(0);

    await first.onModuleDestroy();
    expect(first.isLeader).toBe(false);
    await until(() => second.isLeader, 'the second relay to take over');
    await db.transaction((sql) => outbox.enqueue(sql, records('a', 5, 40)));
    await until(() => valuesOf('a').length === 45, 'the records written after the handover');
    expect(valuesOf('a')).toEqual(Array.from({ length: 45 }, (_, n) => n));
    await until(() => second.published >= 5, 'the second relay to report what it published');
    expect(second.published).toBe(5);
  }, 90_000);

  it('keeps publishing after its database session is killed (the thread reconnects and leads again)', async () => {
    const relay = relays.find((candidate) => candidate.isLeader) ?? startRelay();
    await until(() => relay.isLeader, 'a leader');
    await db.run((sql) => sql.exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchboard-inbox-relay' AND datname = current_database()`));
    await db.transaction((sql) => outbox.enqueue(sql, records('c', 7)));
    await until(() => valuesOf('c').length === 7, 'the records written after the session was killed');
    expect(valuesOf('c')).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(relay.isLeader).toBe(true);
  }, 60_000);

  it('starts another thread when its thread dies, which leads again and publishes what was written meanwhile', async () => {
    const relay = relays.find((candidate) => candidate.isLeader) ?? startRelay();
    await until(() => relay.isLeader, 'a leader');
    const threadOf = () => (relay as unknown as { worker: Worker | null }).worker;
    const dying = threadOf();
    expect(dying).not.toBeNull();
    await dying?.terminate();
    expect(relay.isLeader).toBe(false);
    await db.transaction((sql) => outbox.enqueue(sql, records('d', 4)));
    await until(() => relay.isLeader && threadOf() !== null && threadOf() !== dying, 'a new thread leading');
    await until(() => valuesOf('d').length === 4, 'the records written while no thread ran');
    expect(valuesOf('d')).toEqual([0, 1, 2, 3]);
  }, 60_000);
});

describe('RelayLoop after its session is killed (real Postgres, in-process bus)', () => {
  let database: TestDatabase;
  let db: InboxDatabase;
  const bus = new InMemoryBus();
  const seen: string[] = [];
  const outbox = new OutboxRepository();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await InboxDatabase.open({ url: database.url, poolSize: 2 });
    await db.migrate();
    await bus.subscribe({ groupId: 'relay-loop-reader', topics: ['inbox.events.v1'], fromBeginning: true, eachMessage: async (message: BusMessage) => void seen.push(message.key) });
  });

  afterAll(async () => {
    await bus.close();
    await db?.close();
    await database?.drop();
  });

  it('a late error from the killed session does not drop the new one (which would keep the leader lock and lead no more)', async () => {
    let leading = false;
    const loop = new RelayLoop(bus, { databaseUrl: database.url, pollIntervalMs: 100, leaderRetryMs: 100 }, { leader: (value) => (leading = value), published: () => undefined, log: () => undefined });
    const sessionOf = () => (loop as unknown as { client: Client | null }).client;
    loop.start();
    try {
      await until(() => leading, 'the loop to lead');
      const killed = sessionOf();
      await db.run((sql) => sql.exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchboard-inbox-relay' AND datname = current_database()`));
      await until(() => leading && sessionOf() !== null && sessionOf() !== killed, 'a new session leading');
      // what a terminated connection may still report after the loop moved on
      killed?.emit('error', new Error('Connection terminated unexpectedly'));
      await db.transaction((sql) => outbox.enqueue(sql, [{ topic: 'inbox.events.v1', key: 'after-late-error', value: '{"n":1}', headers: {} }]));
      await until(() => seen.includes('after-late-error'), 'the record written after the late error', 10_000);
      expect(leading).toBe(true);
    } finally {
      await loop.stop();
    }
  }, 60_000);
});

