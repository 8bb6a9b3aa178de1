/**
 * npm run bench:telegram — Telegram updates → inbound events on Kafka through the real
 * TelegramConnector in a ConnectorHost, beside raw baselines in the same run with the same
 * updates from the same local Bot API server:
 *
 *   webhook   the fake Bot API POSTs updates (up to 40 connections, like Telegram) to the real
 *             webhook controller (Nest + express) → secret check → normalize → zod → CloudEvent →
 *             KafkaBus (acks=all) → 200
 *   raw webhook  a bare node:http server: JSON.parse → kafkajs send (acks=all) → 200
 *   polling   getUpdates (limit 100, long poll) → normalize → one emit per batch → offset commit in
 *             connector.offsets.v1 → next getUpdates
 *   raw polling  getUpdates → one kafkajs send per batch → next getUpdates (no offset topic)
 *
 *   BENCH_UPDATES   updates per burst (default 2000)
 *   BENCH_PACED     updates of the paced run, one every BENCH_PACE_MS (default 300, 10 ms)
 *   BENCH_CHATS     distinct customers (default 50)
 *   BENCH_ONLY      run only the scenarios whose label contains this text (e.g. "webhook")
 *
 * Latency is per update, from the moment it was queued at the Bot API server to the moment a
 * Kafka consumer sees its event (one process, one clock). The burst queues everything at once
 * (throughput); the paced run shows latency without a queue.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Update, User } from 'grammy/types';
import { FsBlobStore, HttpErrorFilter, Topics } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { ConnectorHost } from '@switchboard/connector-sdk';
import { channelConfig, fakeDecrypt, publishChannelConfig } from '@switchboard/connector-sdk/testing';
import { FakeBot, FakeBotApi } from '@switchboard/testing/fakes/telegram';
import { TelegramConnector } from '../apps/telegram-connector/src/telegram/telegram.connector';
import type { TelegramSettings } from '../apps/telegram-connector/src/telegram/telegram.manifest';
import { TelegramWebhookController } from '../apps/telegram-connector/src/telegram/telegram-webhook.controller';
import { TelegramWebhookRegistry } from '../apps/telegram-connector/src/telegram/telegram-webhook.registry';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
};

const UPDATES = env('BENCH_UPDATES', 2000);
const PACED = env('BENCH_PACED', 300);
const PACE_MS = env('BENCH_PACE_MS', 10);
const CHATS = env('BENCH_CHATS', 50);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const RUN = `bench-telegram-${Date.now().toString(36)}`;
const PREFIX = `${RUN}.`;
const RAW_TOPIC = 'bench.raw.telegram.v1';
const PARTITIONS = 3;

const clock = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** every event seen on Kafka, by externalId (`<chat>:<message_id>`) */
const seen = new Map<string, number>();

interface Measured {
  label: string;
  count: number;
  elapsedMs: number;
  latencies: number[];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function row(m: Measured): string {
  const f = (ms: number): string => ms.toFixed(1).padStart(9);
  const rate = (m.count / m.elapsedMs) * 1000;
  return `${m.label.padEnd(30)} ${String(m.count).padStart(6)} ${f(m.elapsedMs)} ${rate.toFixed(0).padStart(9)} ${f(percentile(m.latencies, 50))} ${f(percentile(m.latencies, 99))} ${f(Math.max(...m.latencies))}`;
}

/** a realistic customer text with entities, from one of the chats */
function sendFrom(bot: FakeBot, users: User[], n: number): Update {
  const text = `Hi! Order #A-${1000 + n} has not arrived. Tracking: https://track.example.com/A${1000 + n} — please call me`;
  return bot.sendText(users[n % users.length], text, {
    entities: [
      { type: 'bold', offset: 10, length: 7 + String(1000 + n).length - 4 },
      { type: 'url', offset: text.indexOf('https'), length: `https://track.example.com/A${1000 + n}`.length },
    ],
  });
}

async function measure(label: string, bot: FakeBot, users: User[], count: number, paceMs: number, offset: number): Promise<Measured> {
  const queued = new Map<string, number>();
  const started = clock();
  for (let n = 0; n < count; n++) {
    const t = clock();
    const update = sendFrom(bot, users, offset + n);
    queued.set(`${update.message?.chat.id}:${update.message?.message_id}`, t);
    if (paceMs > 0) await sleep(paceMs);
  }
  const deadline = Date.now() + 180_000;
  while ([...queued.keys()].some((id) => !seen.has(id))) {
    if (Date.now() > deadline) throw new Error(`${label}: ${[...queued.keys()].filter((id) => !seen.has(id)).length} updates never reached Kafka`);
    await sleep(5);
  }
  const latencies = [...queued].map(([id, t]) => (seen.get(id) as number) - t);
  const last = Math.max(...[...queued.keys()].map((id) => seen.get(id) as number));
  return { label, count, elapsedMs: last - started, latencies };
}

/** a pipeline under test: started for one bot, stopped after its runs */
interface Pipeline {
  stop(): Promise<void>;
}

async function connectorPipeline(api: FakeBotApi, bot: FakeBot, mode: 'webhook' | 'polling', blobs: FsBlobStore): Promise<Pipeline> {
  const registry = new TelegramWebhookRegistry();
  @Module({ controllers: [TelegramWebhookController], providers: [{ provide: TelegramWebhookRegistry, useValue: registry }] })
  class WebhookModule {}
  const app: INestApplication = await NestFactory.create(WebhookModule, { logger: false });
  app.useGlobalFilters(new HttpErrorFilter());
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const connector = new TelegramConnector(
    { apiRoot: api.apiRoot, publicUrl: `http://127.0.0.1:${port}`, pollTimeoutSeconds: 10, maxAttachmentBytes: 20 << 20, maxRetryAfterSeconds: 5, webhookMaxConnections: 40 },
    registry,
  );
  const bus = new KafkaBus({ brokers: BROKERS, clientId: 'bench-telegram-connector', topicPrefix: PREFIX, defaultPartitions: PARTITIONS });
  const host = new ConnectorHost<TelegramSettings>({ connector, bus, blobs, decrypt: fakeDecrypt, instanceId: `bench-${randomUUID()}` });
  await host.start();
  const inboxId = randomUUID();
  await publishChannelConfig(bus, channelConfig({ inboxId, channelType: 'telegram', version: 1, settings: { mode }, secrets: { botToken: bot.token } }));
  for (;;) {
    const status = host.inbox(inboxId);
    if (status?.state === 'running') break;
    if (status?.state === 'error' || status?.state === 'needs_credentials') throw new Error(`inbox ${status.state}: ${status.reason ?? ''}`);
    await sleep(20);
  }
  return {
    async stop() {
      await host.stop();
      await app.close();
      await bus.close();
    },
  };
}

async function rawWebhookPipeline(api: FakeBotApi, bot: FakeBot, producer: Producer): Promise<Pipeline> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const update = JSON.parse(body.toString('utf8')) as Update;
      producer
        .send({ topic: PREFIX + RAW_TOPIC, acks: -1, messages: [{ key: String(update.message?.chat.id), value: body }] })
        .then(() => response.writeHead(200).end())
        .catch(() => response.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await fetch(`${api.apiRoot}/bot${bot.token}/setWebhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook` }) });
  return {
    async stop() {
      await fetch(`${api.apiRoot}/bot${bot.token}/deleteWebhook`, { method: 'POST' });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function rawPollingPipeline(api: FakeBotApi, bot: FakeBot, producer: Producer): Promise<Pipeline> {
  const abort = new AbortController();
  const loop = (async () => {
    let offset = 0;
    while (!abort.signal.aborted) {
      try {
        const response = await fetch(`${api.apiRoot}/bot${bot.token}/getUpdates`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ offset, timeout: 10, limit: 100 }),
          signal: abort.signal,
        });
        const { result } = (await response.json()) as { result: Update[] };
        if (result.length === 0) continue;
        await producer.send({
          topic: PREFIX + RAW_TOPIC,
          acks: -1,
          messages: result.map((update) => ({ key: String(update.message?.chat.id), value: JSON.stringify(update) })),
        });
        offset = result[result.length - 1].update_id + 1;
      } catch {
        if (!abort.signal.aborted) await sleep(100);
      }
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}

async function main(): Promise<void> {
  const api = await FakeBotApi.start();
  const blobDir = await mkdtemp(join(tmpdir(), 'bench-telegram-'));
  const blobs = new FsBlobStore(blobDir);
  const kafka = new Kafka({ clientId: 'bench-telegram', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [PREFIX + Topics.inbound, PREFIX + RAW_TOPIC].map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `${RUN}-probe`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topics: [PREFIX + Topics.inbound, PREFIX + RAW_TOPIC], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = clock();
      for (const message of batch.messages) {
        const value = JSON.parse(message.value?.toString('utf8') ?? '{}') as { data?: { externalId?: string }; message?: { chat: { id: number }; message_id: number } };
        const id = value.data?.externalId ?? (value.message ? `${value.message.chat.id}:${value.message.message_id}` : undefined);
        if (id && !seen.has(id)) seen.set(id, now);
      }
    },
  });

  const results: Measured[] = [];
  const scenarios: { label: string; start: (bot: FakeBot) => Promise<Pipeline> }[] = [
    { label: 'raw webhook (http → kafkajs)', start: (bot) => rawWebhookPipeline(api, bot, producer) },
    { label: 'connector webhook', start: (bot) => connectorPipeline(api, bot, 'webhook', blobs) },
    { label: 'raw polling (getUpdates → kafkajs)', start: (bot) => rawPollingPipeline(api, bot, producer) },
    { label: 'connector polling', start: (bot) => connectorPipeline(api, bot, 'polling', blobs) },
  ];
  try {
    for (const scenario of scenarios.filter((s) => !process.env.BENCH_ONLY || s.label.includes(process.env.BENCH_ONLY))) {
      const bot = api.createBot();
      const users = Array.from({ length: CHATS }, (_, n) => bot.user({ first_name: `Customer ${n}`, username: `customer_${n}`, language_code: 'en' }));
      const pipeline = await scenario.start(bot);
      try {
        await measure(`${scenario.label} warm-up`, bot, users, 50, 0, 0);
        results.push(await measure(`${scenario.label} burst`, bot, users, UPDATES, 0, 100));
        results.push(await measure(`${scenario.label} paced`, bot, users, PACED, PACE_MS, 100 + UPDATES));
      } finally {
        await pipeline.stop();
      }
      process.stdout.write(`done: ${scenario.label}\n`);
    }
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [PREFIX + Topics.inbound, PREFIX + RAW_TOPIC] }).catch(() => undefined);
    await admin.disconnect();
    await api.close();
    await rm(blobDir, { recursive: true, force: true });
  }

  process.stdout.write(
    `\nTelegram updates → Kafka (${CHATS} chats, ${PARTITIONS} partitions, burst ${UPDATES}, paced ${PACED} @ ${PACE_MS} ms)\n` +
      `${'run'.padEnd(30)} ${'count'.padStart(6)} ${'total ms'.padStart(9)} ${'upd/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'max ms'.padStart(9)}\n` +
      results.map(row).join('\n') +
      '\n',
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:telegram failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
