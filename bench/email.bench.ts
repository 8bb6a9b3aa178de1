/**
 * npm run bench:email — emails delivered by LMTP into a private Dovecot → inbound events on Kafka,
 * through the real EmailImapConnector in a ConnectorHost (IMAP IDLE, mailparser, sanitizing,
 * blobs, cursor commits after the Kafka ack), beside a raw baseline in the same run: a bare
 * imapflow client that IDLEs, fetches the new sources and sends them with kafkajs (no parsing,
 * no cursor), with the same mails.
 *
 *   BENCH_EMAILS     emails per measured burst (default 500)
 *   BENCH_PACED      emails of the paced run, one every BENCH_PACE_MS (default 100, 50 ms)
 *   BENCH_BATCH      connector batch size (default 25, as EMAIL_BATCH_SIZE)
 *
 * Latency is per mail, from the moment LMTP accepted it (it is in the mailbox) to the moment a
 * Kafka consumer sees its event (one process, one clock). The burst delivers everything as fast
 * as two LMTP connections go (throughput); the paced run shows latency without a queue.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ImapFlow } from 'imapflow';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createTransport } from 'nodemailer';
import { FsBlobStore, Topics } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { ConnectorHost } from '@switchboard/connector-sdk';
import { channelConfig, fakeDecrypt, publishChannelConfig } from '@switchboard/connector-sdk/testing';
import { PrivateDovecot } from '@switchboard/testing/fakes/mail';
import { EmailImapConnector } from '../apps/email-connector/src/email/email-imap.connector';
import type { EmailSettings } from '../apps/email-connector/src/email/email-settings.schema';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
};

const EMAILS = env('BENCH_EMAILS', 500);
const PACED = env('BENCH_PACED', 100);
const PACE_MS = env('BENCH_PACE_MS', 50);
const BATCH = env('BENCH_BATCH', 25);
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const RUN = `bench-email-${Date.now().toString(36)}`;
const PARTITIONS = 3;

const clock = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** a realistic ~1.5 KB customer email: utf-8 quoted-printable body with Cyrillic, a quoted reply, an html part */
function email(to: string, id: string, n: number): Buffer {
  const text = `Здравствуйте! Order ${n} has not arrived yet, could you check the tracking number?\r\n\r\nThanks,\r\nCustomer ${n}\r\n\r\nOn Mon, Mar 11, 2024 at 4:02 PM Acme Support <support@acme.test> wrote:\r\n> Hello,\r\n> your parcel left our warehouse today.\r\n`;
  const html = `<div dir="ltr">Здравствуйте! Order <b>${n}</b> has not arrived yet.<img src="https://tracker.example/p.gif"><script>x()</script></div>`;
  return Buffer.from(
    [
      `From: Customer ${n} <customer${n}@customer.test>`,
      `To: Acme Support <${to}>`,
      `Subject: Order ${n} — where is it?`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: ${id}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      text,
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
      '--b1--',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

interface Measured {
  label: string;
  count: number;
  elapsedMs: number;
  latencies: number[];
}

/** records when each mail's event is seen on a topic (kafkajs consumer, from the beginning) */
async function watch(topic: string, idOf: (value: Buffer, key: string) => string | undefined) {
  const kafka = new Kafka({ clientId: `${RUN}-watch`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${RUN}-watch-${randomUUID()}`, maxWaitTimeInMs: 20 });
  const seen = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = clock();
      for (const message of batch.messages) {
        const id = idOf(message.value ?? Buffer.alloc(0), message.key?.toString() ?? '');
        if (id && !seen.has(id)) seen.set(id, now);
      }
    },
  });
  return {
    seen,
    async until(ids: string[], timeoutMs = 600_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (ids.some((id) => !seen.has(id))) {
        if (Date.now() > deadline) throw new Error(`${topic}: ${ids.filter((id) => seen.has(id)).length}/${ids.length} seen after ${timeoutMs} ms`);
        await sleep(5);
      }
    },
    stop: () => consumer.disconnect(),
  };
}

/** delivers mails over pooled LMTP (burst: 2 in flight; paced: one every PACE_MS) and records when each was accepted */
async function deliver(dovecot: PrivateDovecot, to: string, ids: string[], paced: boolean): Promise<Map<string, number>> {
  const transport = createTransport({ host: dovecot.host, port: dovecot.lmtpPort, lmtp: true, pool: true, maxConnections: 2, maxMessages: Number.POSITIVE_INFINITY, name: 'localhost', ignoreTLS: true });
  const delivered = new Map<string, number>();
  const send = async (id: string, n: number): Promise<void> => {
    const info = await transport.sendMail({ envelope: { from: `customer${n}@customer.test`, to: [to] }, raw: email(to, id, n) });
    if (info.rejected.length > 0) throw new Error(`LMTP rejected ${id}: ${info.response}`);
    delivered.set(id, clock());
  };
  try {
    if (paced) {
      for (const [n, id] of ids.entries()) {
        const due = clock() + PACE_MS;
        await send(id, n);
        const wait = due - clock();
        if (wait > 0) await sleep(wait);
      }
    } else {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < ids.length) {
          const n = next++;
          await send(ids[n], n);
        }
      };
      await Promise.all([worker(), worker()]);
    }
  } finally {
    transport.close();
  }
  return delivered;
}

function summarize(label: string, ids: string[], delivered: Map<string, number>, seen: Map<string, number>, startedAt: number): Measured {
  const latencies = ids.map((id) => (seen.get(id) ?? NaN) - (delivered.get(id) ?? NaN));
  const lastSeen = Math.max(...ids.map((id) => seen.get(id) ?? 0));
  return { label, count: ids.length, elapsedMs: lastSeen - startedAt, latencies };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function row(m: Measured): string {
  const rate = (m.count / m.elapsedMs) * 1000;
  const f = (n: number): string => n.toFixed(0).padStart(7);
  return `${m.label.padEnd(34)} ${String(m.count).padStart(5)} ${f(m.elapsedMs)} ${rate.toFixed(1).padStart(9)} ${f(percentile(m.latencies, 50))} ${f(percentile(m.latencies, 99))} ${f(Math.max(...m.latencies))}`;
}

async function runConnector(dovecot: PrivateDovecot, blobDir: string): Promise<Measured[]> {
  const prefix = `${RUN}.`;
  const address = 'support@acme.test';
  const password = 'bench-password';
  await dovecot.addUser({ address, password });
  const bus = new KafkaBus({ brokers: BROKERS, clientId: `${RUN}-connector`, topicPrefix: prefix, defaultPartitions: PARTITIONS });
  await bus.ensureTopics([{ topic: Topics.inbound }]);
  const watcher = await watch(`${prefix}${Topics.inbound}`, (value) => {
    const event = JSON.parse(value.toString('utf8')) as { data?: { externalId?: string } };
    return event.data?.externalId;
  });
  const host = new ConnectorHost<EmailSettings>({
    connector: new EmailImapConnector({ batchSize: BATCH }),
    bus,
    blobs: new FsBlobStore(blobDir),
    decrypt: fakeDecrypt,
    instanceId: RUN,
  });
  await host.start();
  const config = channelConfig({
    channelType: 'email',
    version: 1,
    settings: {
      imap: { host: dovecot.host, port: dovecot.imapPort, secure: false, user: address },
      smtp: { host: '127.0.0.1', port: 9, secure: false },
      address,
      fromName: 'Acme Support',
      backfillDays: 1,
    },
    secrets: { 'imap.password': password },
  });
  await publishChannelConfig(bus, config);
  while (host.inbox(config.inboxId)?.state !== 'running') await sleep(20);
  try {
    const results: Measured[] = [];
    // warm-up (JIT, connections, topic metadata)
    const warm = Array.from({ length: 20 }, (_, n) => `<warm-${n}-${RUN}@customer.test>`);
    await deliver(dovecot, address, warm, false);
    await watcher.until(warm);

    const burst = Array.from({ length: EMAILS }, (_, n) => `<burst-${n}-${RUN}@customer.test>`);
    const startedAt = clock();
    const delivered = await deliver(dovecot, address, burst, false);
    await watcher.until(burst);
    results.push(summarize(`connector burst (batch ${BATCH})`, burst, delivered, watcher.seen, startedAt));

    const paced = Array.from({ length: PACED }, (_, n) => `<paced-${n}-${RUN}@customer.test>`);
    const pacedStart = clock();
    const pacedDelivered = await deliver(dovecot, address, paced, true);
    await watcher.until(paced);
    results.push(summarize(`connector paced (1 per ${PACE_MS} ms)`, paced, pacedDelivered, watcher.seen, pacedStart));
    return results;
  } finally {
    await host.stop();
    await watcher.stop();
    await bus.close();
  }
}

async function runBaseline(dovecot: PrivateDovecot): Promise<Measured[]> {
  const address = 'baseline@acme.test';
  const password = 'bench-password';
  await dovecot.addUser({ address, password });
  const topic = `${RUN}.baseline.inbound.v1`;
  const kafka = new Kafka({ clientId: `${RUN}-baseline`, brokers: BROKERS, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const watcher = await watch(topic, (_value, key) => key);

  const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: address, pass: password }, logger: false, autoIdleDelay: 500 });
  await client.connect();
  await client.mailboxOpen('INBOX');
  let lastUid = 0;
  let dirty = true;
  let draining: Promise<void> | null = null;
  const drain = async (): Promise<void> => {
    while (dirty) {
      dirty = false;
      const lock = await client.getMailboxLock('INBOX');
      const batch: Array<{ uid: number; source: Buffer }> = [];
      try {
        for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, source: true }, { uid: true })) {
          if (message.uid > lastUid && message.source) batch.push({ uid: message.uid, source: message.source });
        }
      } finally {
        lock.release();
      }
      if (batch.length === 0) continue;
      await producer.send({
        topic,
        acks: -1,
        messages: batch.map((m) => ({ key: /^Message-ID: (.+)$/im.exec(m.source.toString('latin1'))?.[1]?.trim() ?? String(m.uid), value: m.source })),
      });
      lastUid = Math.max(lastUid, ...batch.map((m) => m.uid));
    }
  };
  const kick = (): void => {
    dirty = true;
    draining ??= drain().finally(() => {
      draining = null;
      if (dirty) kick();
    });
  };
  client.on('exists', kick);
  kick();
  try {
    const results: Measured[] = [];
    const warm = Array.from({ length: 20 }, (_, n) => `<bwarm-${n}-${RUN}@customer.test>`);
    await deliver(dovecot, address, warm, false);
    await watcher.until(warm);

    const burst = Array.from({ length: EMAILS }, (_, n) => `<bburst-${n}-${RUN}@customer.test>`);
    const startedAt = clock();
    const delivered = await deliver(dovecot, address, burst, false);
    await watcher.until(burst);
    results.push(summarize('raw imapflow + kafkajs burst', burst, delivered, watcher.seen, startedAt));

    const paced = Array.from({ length: PACED }, (_, n) => `<bpaced-${n}-${RUN}@customer.test>`);
    const pacedStart = clock();
    const pacedDelivered = await deliver(dovecot, address, paced, true);
    await watcher.until(paced);
    results.push(summarize(`raw imapflow + kafkajs paced`, paced, pacedDelivered, watcher.seen, pacedStart));
    return results;
  } finally {
    await client.logout().catch(() => undefined);
    await watcher.stop();
    await producer.disconnect();
  }
}

async function main(): Promise<void> {
  const dovecot = await PrivateDovecot.start({ users: [] });
  const blobDir = await mkdtemp(join(tmpdir(), 'bench-email-blobs-'));
  try {
    process.stdout.write(`email bench: ${EMAILS} emails per burst, ${PACED} paced (1 per ${PACE_MS} ms), connector batch ${BATCH}, Kafka ${BROKERS.join(',')}\n`);
    const connector = await runConnector(dovecot, blobDir);
    const baseline = await runBaseline(dovecot);
    process.stdout.write(`\n${'side'.padEnd(34)} ${'mails'.padStart(5)} ${'ms'.padStart(7)} ${'msgs/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}\n`);
    for (const result of [...connector, ...baseline]) process.stdout.write(`${row(result)}\n`);
    process.stdout.write('\nlatency = LMTP accepted the mail → a Kafka consumer saw its event (same process clock)\n');
  } finally {
    await dovecot.stop();
    await rm(blobDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
