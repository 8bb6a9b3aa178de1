/**
 * npm run bench:realtime — web chat visitors writing, operators watching their sockets.
 *
 * Two runs in the same process, same message count and concurrency:
 *  1. raw baseline: kafkajs publish → kafkajs consumer → a bare Socket.IO server emitting to the M
 *     operator sockets (no HTTP API, no inbox, no database);
 *  2. Switchboard: N visitors POST /webchat/v1/messages to the gateway (→ inbox.inbound.v1) → the
 *     inbox ingests into Postgres, the outbox relay publishes inbox.events.v1 → the gateway fans
 *     out to the M operators' /ws sockets (every operator is a member of the inbox).
 * Prints messages/s (first send → last message seen by an operator) and p50/p99 visitor→operator
 * latency (POST sent → first operator socket has it), with the ratio to the baseline.
 *
 * The inbox and the gateway run as their own processes (as deployed; BENCH_IN_PROCESS=1 runs them
 * inside the bench process instead).
 *
 * Env: BENCH_VISITORS (default 50), BENCH_OPERATORS (default 10), BENCH_MESSAGES_PER_VISITOR
 * (default 20), BENCH_IN_PROCESS, KAFKA_BROKERS, DATABASE_URL (admin URL; a fresh database is used).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHANNEL_CONFIG_TYPE, createServiceApp, loadConfig, newEvent, Topics } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import {
  createTestDatabase,
  kafkaBrokers,
  spawnEntrypoint,
  uniqueName,
  type TestDatabase,
} from '@switchboard/testing';
import { freePort } from '@switchboard/testing/fakes/mail/free-port';
import * as argon2 from 'argon2';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Client } from 'pg';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { GatewayAppModule } from '../apps/gateway/src/app.module';
import { gatewayConfigSchema } from '../apps/gateway/src/gateway.config';
import { configureGateway } from '../apps/gateway/src/gateway.setup';
import { InboxAppModule } from '../apps/inbox/src/app.module';
import { inboxConfigSchema } from '../apps/inbox/src/inbox.config';

const VISITORS = Number(process.env.BENCH_VISITORS ?? 50);
const OPERATORS = Number(process.env.BENCH_OPERATORS ?? 10);
const PER_VISITOR = Number(process.env.BENCH_MESSAGES_PER_VISITOR ?? 20);
const TOTAL = VISITORS * PER_VISITOR;
const TIMEOUT_MS = Math.max(120_000, TOTAL * 100);
const IN_PROCESS = process.env.BENCH_IN_PROCESS === '1';

interface Result {
  name: string;
  messages: number;
  deliveries: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

/** sends and receipts keyed by message number; resolves when every message reached an operator */
class Tracker {
  readonly sentAt = new Map<number, number>();
  readonly latencies: number[] = [];
  private readonly seen = new Set<number>();
  deliveries = 0;
  first = 0;
  last = 0;
  private resolveDone!: () => void;
  readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  sent(seq: number): void {
    const now = performance.now();
    if (!this.first) this.first = now;
    this.sentAt.set(seq, now);
  }

  received(text: unknown): void {
    const match = /#(\d+)#/.exec(String(text));
    if (!match) return;
    this.deliveries += 1;
    const seq = Number(match[1]);
    if (this.seen.has(seq)) return;
    const sentAt = this.sentAt.get(seq);
    if (sentAt === undefined) return;
    this.seen.add(seq);
    const now = performance.now();
    this.latencies.push(now - sentAt);
    this.last = now;
    if (this.seen.size >= TOTAL) this.resolveDone();
  }

  async wait(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.done,
      new Promise(
        (_, reject) =>
          (timer = setTimeout(
            () =>
              reject(
                new Error(
                  `only ${this.seen.size}/${TOTAL} messages reached an operator within ${TIMEOUT_MS} ms`,
                ),
              ),
            TIMEOUT_MS,
          )),
      ),
    ]);
    clearTimeout(timer);
  }

  result(name: string): Result {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const seconds = (this.last - this.first) / 1000;
    return {
      name,
      messages: this.seen.size,
      deliveries: this.deliveries,
      seconds,
      perSecond: this.seen.size / seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  }
}

function connect(url: string, path: string, auth: Record<string, unknown>): Promise<Socket> {
  const socket = io(url, { path, auth, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function runBaseline(prefix: string): Promise<Result> {
  const kafka = new Kafka({
    clientId: 'bench-realtime-raw',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const topic = `${prefix}.raw`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  await admin.disconnect();
  const http = createServer();
  const server = new Server(http, { path: '/ws', serveClient: false });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const tracker = new Tracker();
  const sockets = await Promise.all(Array.from({ length: OPERATORS }, () => connect(url, '/ws', {})));
  for (const socket of sockets)
    socket.on('message.created', (message: { text: string }) => tracker.received(message.text));
  const consumer = kafka.consumer({ groupId: `${prefix}-raw`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ message }) =>
      void server.emit('message.created', JSON.parse(String(message.value))),
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let seq = 0;
  await Promise.all(
    Array.from({ length: VISITORS }, async (_, visitor) => {
      for (let i = 0; i < PER_VISITOR; i += 1) {
        const n = seq++;
        tracker.sent(n);
        await producer.send({
          topic,
          acks: -1,
          messages: [{ key: `visitor-${visitor}`, value: JSON.stringify({ text: `raw #${n}#` }) }],
        });
      }
    }),
  );
  await tracker.wait();
  await producer.disconnect();
  await consumer.disconnect();
  for (const socket of sockets) socket.close();
  server.close();
  return tracker.result('raw baseline (kafkajs → Socket.IO)');
}

/** The inbox and the gateway: child processes (their main.ts) or apps inside this process. */
class Services {
  private readonly closers: Array<() => Promise<void>> = [];

  async inbox(env: Record<string, string>): Promise<string> {
    if (IN_PROCESS) {
      const app = await createServiceApp(InboxAppModule.forRoot(loadConfig(inboxConfigSchema, env)));
      await app.listen(0, '127.0.0.1');
      this.closers.unshift(() => app.close());
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    }
    return this.spawn('apps/inbox/src/main.ts', env);
  }

  async gateway(env: Record<string, string>): Promise<string> {
    if (IN_PROCESS) {
      const config = loadConfig(gatewayConfigSchema, env);
      const app = await createServiceApp(GatewayAppModule.forRoot(config), {
        configure: configureGateway(config),
      });
      await app.listen(0, '127.0.0.1');
      this.closers.unshift(() => app.close());
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    }
    return this.spawn('apps/gateway/src/main.ts', env);
  }

  async close(): Promise<void> {
    for (const close of this.closers) await close().catch(() => undefined);
  }

  private async spawn(entry: string, env: Record<string, string>): Promise<string> {
    const port = await freePort();
    const child = spawnEntrypoint(entry, { ...env, PORT: String(port) });
    this.closers.unshift(async () => {
      child.child.kill('SIGTERM');
      await child.exited;
    });
    const url = `http://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt += 1) {
      if ((await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200) return url;
      if (attempt > 240) throw new Error(`${entry} did not start:\n${child.output().stderr.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function runSwitchboard(prefix: string, database: TestDatabase): Promise<Result> {
  const secretsKey = randomBytes(32).toString('base64');
  const internalToken = randomBytes(24).toString('hex');
  const common = {
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_TOPIC_PREFIX: `${prefix}.`,
    SECRETS_KEY: secretsKey,
    INTERNAL_API_TOKEN: internalToken,
    PORT: '0',
  };
  const inboxEnv = { ...common, DATABASE_URL: database.url, ROUTING_SWEEP_MS: '5000', OUTBOX_POLL_MS: '200' };
  const services = new Services();
  const inboxUrl = await services.inbox(inboxEnv);

  const inboxId = randomUUID();
  const inboxKey = `pk_bench_${randomBytes(4).toString('hex')}`;
  const password = 'bench-operator-password';
  const hash = await argon2.hash(password, { type: argon2.argon2id });
  const operators = Array.from({ length: OPERATORS }, (_, i) => ({
    id: randomUUID(),
    email: `op${i}@bench.example`,
  }));
  const seed = new Client({ connectionString: database.url });
  await seed.connect();
  await seed.query(
    `INSERT INTO inboxes (id, channel_type, name, settings, public_key) VALUES ($1, 'webchat', 'Bench chat', $2, $3)`,
    [inboxId, JSON.stringify({ allowedOrigins: ['*'] }), inboxKey],
  );
  for (const operator of operators) {
    await seed.query(
      `INSERT INTO operators (id, email, name, role, password_hash, availability) VALUES ($1, $2, $2, 'operator', $3, 'online')`,
      [operator.id, operator.email, hash],
    );
    await seed.query(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [
      inboxId,
      operator.id,
    ]);
  }
  await seed.end();

  const bus = new KafkaBus({
    brokers: kafkaBrokers(),
    clientId: 'bench-realtime',
    topicPrefix: `${prefix}.`,
  });
  await bus.publish(Topics.channels, [
    {
      key: inboxId,
      value: newEvent(CHANNEL_CONFIG_TYPE, 'bench', {
        inboxId,
        channelType: 'webchat',
        name: 'Bench chat',
        enabled: true,
        deleted: false,
        version: 1,
        settings: { allowedOrigins: ['*'] },
        secrets: {},
        updatedAt: new Date().toISOString(),
      }),
    },
  ]);

  const url = await services.gateway({
    ...common,
    JWT_SECRET: randomBytes(24).toString('hex'),
    INBOX_URL: inboxUrl,
    PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_MAX_ATTEMPTS: '1000',
  });
  for (let attempt = 0; ; attempt += 1) {
    const ready =
      (await fetch(`${url}/readyz`)).status === 200 &&
      (await fetch(`${url}/webchat/v1/config?inboxKey=${inboxKey}`)).status === 200;
    if (ready) break;
    if (attempt > 240) throw new Error('the gateway did not get ready');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const tracker = new Tracker();
  // where the time goes: Kafka record timestamps of each message on inbox.inbound.v1 and inbox.events.v1
  const stages = {
    inbound: new Map<number, number>(),
    events: new Map<number, number>(),
    posted: new Map<number, number>(),
    answered: new Map<number, number>(),
  };
  const seqOf = (value: Buffer): number | undefined => {
    const match = /#(\d+)#/.exec(value.toString('utf8'));
    return match ? Number(match[1]) : undefined;
  };
  await bus.subscribe({
    groupId: `${prefix}-probe`,
    topics: [Topics.inbound, Topics.events],
    fromBeginning: false,
    maxWaitTimeMs: 100,
    partitionsConsumedConcurrently: 6,
    eachBatch: async (messages) => {
      for (const message of messages) {
        const n = seqOf(message.value);
        if (n === undefined) continue;
        const map = message.topic.endsWith(Topics.inbound) ? stages.inbound : stages.events;
        if (!map.has(n)) map.set(n, message.timestamp);
      }
    },
  });
  const operatorSockets = await Promise.all(
    operators.map(async (operator) => {
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: operator.email, password }),
      });
      if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const socket = await connect(url, '/ws', { token: accessToken });
      socket.on('message.created', (message: { text: string }) => tracker.received(message.text));
      return socket;
    }),
  );
  const visitors = await Promise.all(
    Array.from({ length: VISITORS }, async (_, i) => {
      const response = await fetch(`${url}/webchat/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inboxKey, name: `Visitor ${i}` }),
      });
      const session = (await response.json()) as { visitorToken: string };
      const socket = await connect(url, '/webchat/v1/socket', { visitorToken: session.visitorToken });
      return { token: session.visitorToken, socket };
    }),
  );
  process.stdout.write(
    `connected: ${visitors.length} visitors (/webchat/v1/socket), ${operatorSockets.length} operators (/ws)\n`,
  );
  await new Promise((resolve) => setTimeout(resolve, 2000));

  let seq = 0;
  await Promise.all(
    visitors.map(async (visitor) => {
      for (let i = 0; i < PER_VISITOR; i += 1) {
        const n = seq++;
        tracker.sent(n);
        stages.posted.set(n, Date.now());
        const response = await fetch(`${url}/webchat/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${visitor.token}` },
          body: JSON.stringify({ text: `hello #${n}# where is my order?` }),
        });
        if (response.status !== 201)
          throw new Error(`send failed: ${response.status} ${await response.text()}`);
        stages.answered.set(n, Date.now());
      }
    }),
  );
  await tracker.wait();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const spans = (from: Map<number, number>, to: Map<number, number>): string => {
    const values = [...to.entries()]
      .filter(([n]) => from.has(n))
      .map(([n, t]) => t - (from.get(n) as number))
      .sort((a, b) => a - b);
    return `p50 ${percentile(values, 50)} ms, p99 ${percentile(values, 99)} ms (${values.length})`;
  };
  process.stdout.write(
    `  stages: POST answered (201) ${spans(stages.posted, stages.answered)}; POST → on inbox.inbound.v1 ${spans(stages.posted, stages.inbound)}; ` +
      `inbound → on inbox.events.v1 (inbox: ingest, commit, relay) ${spans(stages.inbound, stages.events)}\n`,
  );
  for (const socket of [...operatorSockets, ...visitors.map((v) => v.socket)]) socket.close();
  await services.close();
  await bus.close();
  return tracker.result('Switchboard (gateway → Kafka → inbox/Postgres → Kafka → gateway)');
}

async function main(): Promise<void> {
  const prefix = uniqueName('bench-realtime');
  process.stdout.write(
    `bench:realtime — ${VISITORS} visitors × ${PER_VISITOR} messages = ${TOTAL}, ${OPERATORS} operators watching\n`,
  );
  const database = await createTestDatabase();
  try {
    const baseline = await runBaseline(prefix);
    const switchboard = await runSwitchboard(prefix, database);
    for (const result of [baseline, switchboard]) {
      process.stdout.write(
        `${result.name.padEnd(66)} ${result.messages} msgs (${result.deliveries} socket deliveries) in ${result.seconds.toFixed(2)} s = ${result.perSecond.toFixed(0)} msgs/s; ` +
          `visitor→operator p50 ${result.p50} ms, p99 ${result.p99} ms\n`,
      );
    }
    process.stdout.write(
      `Switchboard / baseline throughput: ${((switchboard.perSecond / baseline.perSecond) * 100).toFixed(1)}%\n`,
    );
  } finally {
    await database.drop().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:realtime failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
