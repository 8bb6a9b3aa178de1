/**
 * npm run bench:bus — produce → consume through KafkaBus, beside raw kafkajs (sendBatch + eachBatch)
 * with the same payloads, keys, headers and partitions, in the same run, on the broker at KAFKA_BROKERS.
 *
 *   BENCH_MESSAGES   messages per measured run (default 50000)
 *   BENCH_CHUNK      messages per publish()/sendBatch call (default 100)
 *   BENCH_IN_FLIGHT  calls in flight at once (default 8)
 *   BENCH_WARMUP     messages of the warm-up run of each side (default 3000)
 *   BENCH_PACED_RATE, BENCH_PACED_PER_CALL, BENCH_PACED_MESSAGES
 *                    the paced run: offered msg/s (default 2000), messages per call (10), messages (10000)
 *
 * Two runs per side: flood (throughput; latency then mostly measures the backlog) and paced (latency of
 * the pipeline itself). Latency is per message, from the publish()/sendBatch call to the handler seeing it
 * (one process, one clock).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
};

const MESSAGES = env('BENCH_MESSAGES', 50_000);
const CHUNK = env('BENCH_CHUNK', 100);
const IN_FLIGHT = env('BENCH_IN_FLIGHT', 8);
const WARMUP = env('BENCH_WARMUP', 3_000);
const PACED_RATE = env('BENCH_PACED_RATE', 2_000);
const PACED_PER_CALL = env('BENCH_PACED_PER_CALL', 10);
const PACED_MESSAGES = env('BENCH_PACED_MESSAGES', 10_000);
const PARTITIONS = 6;
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const MAX_WAIT_MS = 100;
const TOPIC = 'bench.inbound.v1';
const GROUP = 'bench.inbox';
const RUN = `bench-${Date.now().toString(36)}`;

const clock = (): number => performance.timeOrigin + performance.now();

interface Payload {
  key: string;
  value: string;
  correlationId: string;
}

/** ~1 KB CloudEvents inbound messages, as a Telegram connector would publish them; 4 inboxes × 250 threads. */
function payloads(n: number): Payload[] {
  const inboxes = Array.from({ length: 4 }, () => randomUUID());
  return Array.from({ length: n }, (_, i) => {
    const inboxId = inboxes[i % inboxes.length];
    const chat = 521774000 + (i % 250);
    const correlationId = randomUUID();
    const event = {
      specversion: '1.0',
      id: randomUUID(),
      source: '/connectors/telegram',
      type: 'switchboard.inbound.message.v1',
      subject: `${chat}:${i}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      correlationid: correlationId,
      data: {
        inboxId,
        channelType: 'telegram',
        externalId: `${chat}:${i}`,
        threadKey: String(chat),
        sender: { externalId: String(chat), displayName: 'Алексей Петров', username: 'apetrov', language: 'ru' },
        sentAt: new Date().toISOString(),
        receivedAt: new Date().toISOString(),
        text: `Добрый день! Где мой заказ ${4800 + (i % 100)}? Трек не обновляется третий день, в приложении пишет «передан в доставку», а курьер не звонил. Подскажите, пожалуйста, что делать 😕`,
        attachments: [],
        refusedAttachments: [],
        references: [`${chat}:${i - 1}`],
        inReplyTo: `${chat}:${i - 1}`,
        autoReply: false,
        channelMetadata: { updateId: 734190223 + i, chat: { id: chat, type: 'private' }, messageId: i, replyToMessageId: i - 1 },
      },
    };
    return { key: `${inboxId}:${chat}`, value: JSON.stringify(event), correlationId };
  });
}

interface Result {
  label: string;
  messages: number;
  produceSeconds: number;
  totalSeconds: number;
  /** per message: publish call → handler */
  latencies: Float64Array;
  /** per call: publish call → acknowledged */
  ackLatencies: Float64Array;
}

/** One side of the comparison: how it publishes, and a consumer already in its group that reports each message. */
interface Side {
  publish(batch: Payload[], sentAt: string): Promise<void>;
  close(): Promise<void>;
}

type SentAtSink = (sentAt: string | Buffer | undefined, now: number) => void;
type OpenSide = (run: string, onMessage: SentAtSink) => Promise<Side>;

const headersOf = (p: Payload, sentAt: string) => ({ 'x-correlation-id': p.correlationId, 'x-bench-sent': sentAt });

const openKafkaBus: OpenSide = async (run, onMessage) => {
  const bus = new KafkaBus({ brokers: BROKERS, clientId: 'bench-bus', topicPrefix: `${RUN}.${run}.`, defaultPartitions: PARTITIONS });
  await bus.ensureTopics([{ topic: TOPIC, partitions: PARTITIONS }]);
  await bus.subscribe({
    groupId: GROUP,
    topics: [TOPIC],
    maxWaitTimeMs: MAX_WAIT_MS,
    eachBatch: async (messages) => {
      const now = clock();
      for (const m of messages) onMessage(m.headers['x-bench-sent'], now);
    },
  });
  return {
    publish: (batch, sentAt) => bus.publish(TOPIC, batch.map((p) => ({ key: p.key, value: p.value, headers: headersOf(p, sentAt) }))),
    close: () => bus.close(),
  };
};

const openRawKafkajs: OpenSide = async (run, onMessage) => {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const topic = `${RUN}.${run}.${TOPIC}`;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `${RUN}.${run}.${GROUP}`, maxWaitTimeInMs: MAX_WAIT_MS });
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const now = clock();
      for (const m of batch.messages) {
        onMessage(m.headers?.['x-bench-sent'] as Buffer | undefined, now);
        resolveOffset(m.offset);
      }
      await heartbeat();
    },
  });
  await joined;
  return {
    publish: async (batch, sentAt) => {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [{ topic, messages: batch.map((p) => ({ key: p.key, value: p.value, headers: headersOf(p, sentAt) })) }],
      });
    },
    close: async () => {
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
};

/**
 * Publishes `data` in calls of `CHUNK` messages and waits until every message was consumed. Flood: `IN_FLIGHT`
 * calls at a time, as fast as acknowledgements come back. Paced: one call every `intervalMs`, whatever is in flight.
 */
async function measure(label: string, open: OpenSide, data: Payload[], paced?: { perCall: number; intervalMs: number }): Promise<Result> {
  const latencies = new Float64Array(data.length);
  let count = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const side = await open(label.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase(), (sentAt, now) => {
    if (count < data.length) latencies[count] = now - Number(String(sentAt));
    if (++count === data.length) resolveAll();
  });
  try {
    const perCall = paced?.perCall ?? CHUNK;
    const ackLatencies = new Float64Array(Math.ceil(data.length / perCall));
    let call = 0;
    const send = async (from: number) => {
      const index = call++;
      const started = clock();
      await side.publish(data.slice(from, from + perCall), started.toFixed(3));
      ackLatencies[index] = clock() - started;
    };
    const start = clock();
    if (paced) {
      const calls: Array<Promise<void>> = [];
      for (let from = 0; from < data.length; from += perCall) {
        const due = start + (from / perCall) * paced.intervalMs;
        const wait = due - clock();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        calls.push(send(from));
      }
      await Promise.all(calls);
    } else {
      let next = 0;
      const worker = async () => {
        while (next < data.length) {
          const from = next;
          next += perCall;
          await send(from);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    }
    const produced = clock();
    await all;
    const end = clock();
    return { label, messages: data.length, produceSeconds: (produced - start) / 1000, totalSeconds: (end - start) / 1000, latencies, ackLatencies };
  } finally {
    await side.close();
  }
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Summary {
  produceRate: number;
  rate: number;
  p50: number;
  p99: number;
  ackP50: number;
  ackP99: number;
}

function summarize(result: Result): Summary {
  const sorted = Float64Array.from(result.latencies).sort();
  const acks = Float64Array.from(result.ackLatencies).sort();
  const summary = {
    produceRate: result.messages / result.produceSeconds,
    rate: result.messages / result.totalSeconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ackP50: percentile(acks, 50),
    ackP99: percentile(acks, 99),
  };
  const n = (x: number) => Math.round(x).toLocaleString('en-US').padStart(8);
  const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(10);
  console.log(
    `${result.label.padEnd(12)} produce ${n(summary.produceRate)} msg/s | produce→consume ${n(summary.rate)} msg/s | ` +
      `produce→consume latency p50 ${ms(summary.p50)} p99 ${ms(summary.p99)} | call→ack p50 ${ms(summary.ackP50)} p99 ${ms(summary.ackP99)}`,
  );
  return summary;
}

async function main(): Promise<void> {
  const data = payloads(MESSAGES);
  const bytes = data.reduce((sum, p) => sum + Buffer.byteLength(p.value), 0) / data.length;
  console.log(
    `bus.bench: ${MESSAGES} messages of ~${Math.round(bytes)} B (CloudEvents inbound message), ${PARTITIONS} partitions, broker ${BROKERS.join(',')}`,
  );
  const warm = data.slice(0, Math.min(WARMUP, data.length));
  await measure('warmup', openRawKafkajs, warm);
  await measure('warmup', openKafkaBus, warm);

  console.log(`\nflood: ${CHUNK} messages per publish()/sendBatch call, ${IN_FLIGHT} calls in flight`);
  const raw = summarize(await measure('raw kafkajs', openRawKafkajs, data));
  const bus = summarize(await measure('KafkaBus', openKafkaBus, data));
  compare(bus, raw);

  const paced = { perCall: PACED_PER_CALL, intervalMs: (1000 * PACED_PER_CALL) / PACED_RATE };
  const pacedData = data.slice(0, Math.min(PACED_MESSAGES, data.length));
  console.log(`\npaced: ${PACED_RATE} msg/s offered in calls of ${PACED_PER_CALL} (latency without a backlog), ${pacedData.length} messages`);
  const rawPaced = summarize(await measure('raw kafkajs', openRawKafkajs, pacedData, paced));
  const busPaced = summarize(await measure('KafkaBus', openKafkaBus, pacedData, paced));
  compare(busPaced, rawPaced);
}

function compare(bus: Summary, raw: Summary): void {
  const x = (v: number) => `${v.toFixed(2)}x`;
  console.log(
    `KafkaBus / raw kafkajs: produce ${x(bus.produceRate / raw.produceRate)}, produce→consume ${x(bus.rate / raw.rate)}, ` +
      `latency p50 ${x(bus.p50 / raw.p50)}, p99 ${x(bus.p99 / raw.p99)}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
