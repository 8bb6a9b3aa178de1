/**
 * npm run bench:ingest — inbound messages published to Kafka until committed in Postgres.
 *
 * Two runs over the SAME payloads, in the same process and on the same machine:
 *  1. raw baseline: kafkajs eachBatch + one batched `INSERT … ON CONFLICT DO NOTHING` per batch into a
 *     bare table (no domain logic), offsets committed after the insert;
 *  2. the inbox service (the real InboxAppModule): contacts, threading, conversations, messages, the
 *     audit trail and the outbox in one transaction per batch, with its outbox relay (on its worker
 *     thread, in this process) publishing inbox.events.v1 meanwhile.
 * Prints msgs/s, p50/p99 publish→committed latency and CPU per message (this process; the whole machine,
 * Postgres and Kafka included) for both, and the ratio.
 *
 * Env: BENCH_MESSAGES (default 20000), BENCH_ROUNDS (baseline + inbox pairs, default 3; the ratio printed last
 * is the median of the rounds' ratios), BENCH_CONCURRENCY (partitions consumed at once, default 6),
 * BENCH_PARTITIONS (default 6), KAFKA_BROKERS, DATABASE_URL (admin URL; a fresh database is used),
 * BENCH_PROFILE (a file: the V8 CPU profile of the main thread during the last round's inbox run, from the
 * first publish to the last commit), BENCH_ALLOC_PROFILE (a file: a sampling allocation profile of the same span), BENCH_KEEP_DB (keep the inbox run's database, to look at plans and sizes).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { INBOUND_MESSAGE_TYPE, loadConfig, newEvent, Topics, type InboundMessageInput } from '@switchboard/common';
import { createTestDatabase, kafkaBrokers, uniqueName, type TestDatabase } from '@switchboard/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { keyPartitioner } from '@switchboard/common/bus/kafka/key-partitioner';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Client, Pool } from 'pg';
import { createServiceApp } from '@switchboard/common';
import { InboxAppModule } from '../apps/inbox/src/app.module';
import { inboxConfigSchema } from '../apps/inbox/src/inbox.config';
import { IngestionService } from '../apps/inbox/src/ingestion/ingestion.service';
import { OutboxRelay } from '../apps/inbox/src/outbox/outbox-relay.service';

const TOTAL = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 6);
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const WORDS_EN = ['order', 'delivery', 'refund', 'please', 'help', 'account', 'password', 'invoice', 'thanks', 'where', 'is', 'my', 'parcel'];
const WORDS_RU = ['заказ', 'доставка', 'возврат', 'пожалуйста', 'помогите', 'счёт', 'пароль', 'спасибо', 'где', 'моя', 'посылка'];

interface Payload {
  key: string;
  /** the event's bytes, encoded once before timing */
  value: Buffer;
  inboxId: string;
  externalId: string;
}

function sentence(random: () => number): string {
  const words = random() < 0.5 ? WORDS_EN : WORDS_RU;
  const length = 8 + Math.floor(random() * 30);
  return Array.from({ length }, () => words[Math.floor(random() * words.length)]).join(' ');
}

/** Mixed channels, many conversations, some long threads (30% of the messages go to 20 threads). */
function generate(inboxes: { telegram: string; email: string; webchat: string }): Payload[] {
  let seed = 42;
  const random = (): number => {
    // mulberry32: deterministic, so both runs see the same payloads
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const shortThreads = Math.max(50, Math.floor(TOTAL / 8));
  const chains = new Map<string, string[]>();
  const out: Payload[] = [];
  for (let index = 0; index < TOTAL; index += 1) {
    const long = random() < 0.3;
    const thread = long ? `long-${Math.floor(random() * 20)}` : `t-${Math.floor(random() * shortThreads)}`;
    const channelOf = (['email', 'telegram', 'webchat'] as const)[hash(thread) % 3];
    const inboxId = inboxes[channelOf];
    const now = new Date().toISOString();
    let data: InboundMessageInput;
    if (channelOf === 'email') {
      const chain = chains.get(thread) ?? [];
      const externalId = `<${index}.${thread}@customer.example>`;
      data = {
        inboxId,
        channelType: 'email',
        externalId,
        threadKey: chain[0] ?? externalId,
        sender: { externalId: `${thread}@customer.example`, email: `${thread}@customer.example`, displayName: `Customer ${thread}` },
        sentAt: now,
        receivedAt: now,
        subject: `Question ${thread}`,
        text: sentence(random),
        references: chain.slice(-10),
        inReplyTo: chain[chain.length - 1],
        participants: { to: [{ address: 'support@shop.example' }], cc: [], replyTo: [] },
      };
      chains.set(thread, [...chain, externalId]);
    } else {
      data = {
        inboxId,
        channelType: channelOf,
        externalId: `${thread}:${index}`,
        threadKey: thread,
        sender: { externalId: `user-${thread}`, displayName: `User ${thread}` },
        sentAt: now,
        receivedAt: now,
        text: sentence(random),
      };
    }
    const event = newEvent(INBOUND_MESSAGE_TYPE, 'bench', data);
    out.push({ key: `${inboxId}:${data.threadKey}`, value: Buffer.from(JSON.stringify(event), 'utf8'), inboxId, externalId: data.externalId });
  }
  return out;
}

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) | 0;
  return Math.abs(h);
}

/**
 * The load generator, in this process: it should cost as little as it can, so that what is measured is the
 * consumer (in production the connectors publish from their own processes). Values are encoded before
 * timing and partitions are chosen by the product's own partitioner (the default murmur2 choice, remembered
 * per key): kafkajs' default partitioner allocated ~150 MB of Long objects per 20,000 records here, garbage
 * that the inbox's young generation then had to be scavenged for.
 */
function benchProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: keyPartitioner() });
}

async function produceAll(producer: Producer, topic: string, payloads: readonly Payload[]): Promise<number> {
  const started = Date.now();
  const chunk = 500;
  const sends: Array<Promise<unknown>> = [];
  for (let index = 0; index < payloads.length; index += chunk) {
    sends.push(
      producer.send({
        topic,
        acks: -1,
        messages: payloads.slice(index, index + chunk).map((p) => ({ key: p.key, value: p.value })),
      }),
    );
    if (sends.length >= 4) await Promise.all(sends.splice(0));
  }
  await Promise.all(sends);
  return started;
}

interface Result {
  name: string;
  messages: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU time of this process (user + system) from the first publish to the last commit: robust to a busy machine */
  cpuMs: number;
  /** CPU time of the whole machine (this process, Postgres, Kafka) over the same span, when /proc/stat is there */
  machineCpuMs: number | null;
}

/** busy CPU time of the whole machine so far (ms), from /proc/stat; null elsewhere */
function machineCpu(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq] = fields;
    return ((user + nice + system + irq + softirq) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function summarize(name: string, started: number, finished: number, latencies: number[], cpu: NodeJS.CpuUsage, machine: number | null): Result {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const seconds = (finished - started) / 1000;
  return { name, messages: latencies.length, seconds, perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), cpuMs: (cpu.user + cpu.system) / 1000, machineCpuMs: machine };
}

async function runBaseline(kafka: Kafka, database: TestDatabase, prefix: string, payloads: readonly Payload[]): Promise<Result> {
  const setup = new Client({ connectionString: database.url });
  await setup.connect();
  await setup.query(`CREATE TABLE raw_inbound (inbox_id uuid NOT NULL, external_id text NOT NULL, payload jsonb NOT NULL, PRIMARY KEY (inbox_id, external_id))`);
  await setup.end();
  const pool = new Pool({ connectionString: database.url, max: CONCURRENCY + 2 });
  const topic = `${prefix}.raw.inbound`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
  await admin.disconnect();

  const latencies: number[] = [];
  let lastCommit = 0;
  const consumer = kafka.consumer({ groupId: `${prefix}-raw`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: CONCURRENCY,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
        for (let index = 0; index < batch.messages.length; index += 500) {
          const slice = batch.messages.slice(index, index + 500);
          const rows = slice.map((m) => JSON.parse(m.value?.toString('utf8') ?? '{}') as { data: { inboxId: string; externalId: string } });
          await pool.query(
            `INSERT INTO raw_inbound (inbox_id, external_id, payload)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) ON CONFLICT DO NOTHING`,
            [rows.map((r) => r.data.inboxId), rows.map((r) => r.data.externalId), slice.map((m) => m.value?.toString('utf8'))],
          );
          const now = Date.now();
          for (const message of slice) latencies.push(now - Number(message.timestamp));
          lastCommit = now;
          resolveOffset(slice[slice.length - 1].offset);
          await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: String(Number(slice[slice.length - 1].offset) + 1) }] }] });
          await heartbeat();
          if (latencies.length >= payloads.length) resolve();
        }
      },
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 3000)); // let the group settle before timing
  const producer = benchProducer(kafka);
  await producer.connect();
  const cpuAtStart = process.cpuUsage();
  const machineAtStart = machineCpu();
  const started = await produceAll(producer, topic, payloads);
  await done;
  const cpu = process.cpuUsage(cpuAtStart);
  const machine = machineAtStart === null ? null : (machineCpu() ?? machineAtStart) - machineAtStart;
  await producer.disconnect();
  await consumer.disconnect();
  await pool.end();
  return summarize('raw baseline (kafkajs + batched INSERT)', started, lastCommit, latencies, cpu, machine);
}

async function runInbox(kafka: Kafka, database: TestDatabase, prefix: string, payloads: readonly Payload[], inboxes: Record<string, string>): Promise<Result> {
  const config = loadConfig(inboxConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: `${prefix}.`,
    KAFKA_PARTITIONS: String(PARTITIONS),
    DATABASE_URL: database.url,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    INTERNAL_API_TOKEN: randomUUID(),
    INBOUND_CONCURRENCY: String(CONCURRENCY),
    INBOUND_BATCH_SIZE: process.env.BENCH_BATCH ?? '500',
    DATABASE_POOL_SIZE: String(CONCURRENCY + 6),
    ROUTING_SWEEP_MS: '5000',
  });
  const app = await createServiceApp(InboxAppModule.forRoot(config));
  await app.listen(0, '127.0.0.1');
  // measure the steady state: the outbox relay is up and leading before the first message
  const relay = app.get(OutboxRelay);
  for (const deadline = Date.now() + 60_000; !relay.isLeader; ) {
    if (Date.now() > deadline) throw new Error('the outbox relay did not start leading within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seed = new Client({ connectionString: database.url });
  await seed.connect();
  for (const [channel, id] of Object.entries(inboxes)) {
    await seed.query(`INSERT INTO inboxes (id, channel_type, name, settings) VALUES ($1, $2, $3, $4)`, [id, channel, `Bench ${channel}`, JSON.stringify(channel === 'email' ? { address: 'support@shop.example' } : {})]);
  }
  await seed.end();

  const latencies: number[] = [];
  let lastCommit = 0;
  let stored = 0;
  let batches = 0;
  const ingestion = app.get(IngestionService);
  const done = new Promise<void>((resolve) => {
    ingestion.observe((batch, outcome, committedAt) => {
      for (const message of batch) latencies.push(committedAt - message.timestamp);
      stored += outcome.stored;
      batches += 1;
      lastCommit = committedAt;
      if (latencies.length >= payloads.length) resolve();
    });
  });
  const producer = benchProducer(kafka);
  await producer.connect();
  const profiler = await startProfiler();
  const cpuAtStart = process.cpuUsage();
  const machineAtStart = machineCpu();
  const started = await produceAll(producer, `${prefix}.${Topics.inbound}`, payloads);
  await done;
  const cpu = process.cpuUsage(cpuAtStart);
  const machine = machineAtStart === null ? null : (machineCpu() ?? machineAtStart) - machineAtStart;
  await profiler?.stop();
  await producer.disconnect();

  const check = new Client({ connectionString: database.url });
  await check.connect();
  const counts = await check.query<{ messages: string; conversations: string; contacts: string }>(
    `SELECT (SELECT count(*) FROM messages) AS messages, (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM contacts) AS contacts`,
  );
  await check.end();
  await app.close();
  const row = counts.rows[0];
  process.stdout.write(
    `inbox stored ${stored} messages in ${batches} transactions (${(stored / Math.max(1, batches)).toFixed(0)} a batch) → ` +
      `${row.messages} rows, ${row.conversations} conversations, ${row.contacts} contacts\n`,
  );
  return summarize('inbox service (domain logic, 1 tx per batch)', started, lastCommit, latencies, cpu, machine);
}

/**
 * BENCH_PROFILE=file: a CPU profile of what runs between start and stop (open it in Chrome's DevTools);
 * BENCH_ALLOC_PROFILE=file: a sampling allocation profile of the same span (what feeds the garbage collector)
 */
async function startProfiler(): Promise<{ stop(): Promise<void> } | undefined> {
  const cpuFile = process.env.BENCH_PROFILE;
  const allocFile = process.env.BENCH_ALLOC_PROFILE;
  if (!cpuFile && !allocFile) return undefined;
  const session = new Session();
  session.connect();
  if (cpuFile) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  if (allocFile) {
    await session.post('HeapProfiler.enable');
    // every allocation counts, including those the next scavenge frees (the garbage is the point)
    await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  }
  return {
    async stop() {
      if (cpuFile) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(cpuFile, JSON.stringify(profile));
        process.stdout.write(`CPU profile of the inbox run: ${cpuFile}\n`);
      }
      if (allocFile) {
        const { profile } = await session.post('HeapProfiler.stopSampling');
        writeFileSync(allocFile, JSON.stringify(profile));
        process.stdout.write(`allocation profile of the inbox run: ${allocFile}\n`);
      }
      session.disconnect();
    },
  };
}

function report(result: Result): string {
  return (
    `${result.name.padEnd(48)} ${result.messages} msgs in ${result.seconds.toFixed(2)} s = ${result.perSecond.toFixed(0)} msgs/s; ` +
    `publish→committed p50 ${result.p50} ms, p99 ${result.p99} ms; CPU µs/msg: this process ${((result.cpuMs * 1000) / result.messages).toFixed(0)}` +
    (result.machineCpuMs === null ? '' : `, whole machine ${((result.machineCpuMs * 1000) / result.messages).toFixed(0)}`)
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
  const prefix = uniqueName('bench-ingest');
  const kafka = new Kafka({ clientId: 'bench-ingest', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const inboxes = { telegram: randomUUID(), email: randomUUID(), webchat: randomUUID() };
  const payloads = generate(inboxes);
  process.stdout.write(`bench:ingest — ${TOTAL} inbound messages, ${PARTITIONS} partitions, ${CONCURRENCY} consumed at once, ${ROUNDS} round(s)\n`);

  // rounds alternate the two runs: a shared machine's speed drifts, and each ratio compares runs made side by side
  const rounds: Array<{ baseline: Result; inbox: Result; ratio: number }> = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const baselineDb = await createTestDatabase();
    const inboxDb = await createTestDatabase();
    try {
      const roundPrefix = `${prefix}-r${round}`;
      const baseline = await runBaseline(kafka, baselineDb, roundPrefix, payloads);
      const inbox = await runInbox(kafka, inboxDb, roundPrefix, payloads, inboxes);
      const ratio = inbox.perSecond / baseline.perSecond;
      rounds.push({ baseline, inbox, ratio });
      process.stdout.write(`round ${round}:\n  ${report(baseline)}\n  ${report(inbox)}\n  inbox / baseline throughput: ${(ratio * 100).toFixed(1)}%\n`);
    } finally {
      await baselineDb.drop().catch(() => undefined);
      if (process.env.BENCH_KEEP_DB) process.stdout.write(`kept the inbox database: ${inboxDb.url}\n`);
      else await inboxDb.drop().catch(() => undefined);
    }
  }
  if (rounds.length > 1) {
    const of = (pick: (entry: (typeof rounds)[number]) => number): string => median(rounds.map(pick)).toFixed(0);
    process.stdout.write(
      `median of ${rounds.length} rounds: raw baseline ${of((r) => r.baseline.perSecond)} msgs/s (p50 ${of((r) => r.baseline.p50)} ms, p99 ${of((r) => r.baseline.p99)} ms); ` +
        `inbox ${of((r) => r.inbox.perSecond)} msgs/s (p50 ${of((r) => r.inbox.p50)} ms, p99 ${of((r) => r.inbox.p99)} ms)\n`,
    );
  }
  process.stdout.write(`inbox / baseline throughput${rounds.length > 1 ? ', median of the rounds' : ''}: ${(median(rounds.map((r) => r.ratio)) * 100).toFixed(1)}%\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:ingest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
