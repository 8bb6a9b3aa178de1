import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { BusMessage, SubscribeOptions } from '../bus.port';
import { describeBusContract } from '../testing/bus-contract';
import { KafkaBus } from './kafka-bus';
import { KafkaSubscription } from './kafka-subscription';

// the integration project's testTimeout in jest.config.js is not applied per project by jest 29
jest.setTimeout(120_000);

const prefix = `${uniqueName('bus-contract')}.`;
/** short timeouts so that rebalances in the tests take a second, not half a minute */
const testConsumer: Partial<SubscribeOptions> = { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 300, maxWaitTimeMs: 200 };
const makeBus = async () => new KafkaBus({ brokers: kafkaBrokers(), clientId: 'bus-contract', topicPrefix: prefix, defaultPartitions: 6 });

describeBusContract('kafka', {
  makeBus,
  kill: (subscription) => (subscription as KafkaSubscription).kill(),
  committedOffsets: (bus, groupId, topic) => bus.committedOffsets(groupId, topic),
  waitMs: 60_000,
  subscribeDefaults: testConsumer,
});

describe(KafkaBus.name, () => {
  const admin = new Kafka({ clientId: 'bus-spec-admin', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).admin();
  let sut: KafkaBus;

  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());
  beforeEach(async () => {
    sut = await makeBus();
  });
  afterEach(() => sut.close());

  it('answers ping when the broker answers, and not when nothing listens', async () => {
    expect(await sut.ping()).toBe(true);
    const nowhere = new KafkaBus({ brokers: ['127.0.0.1:1'], clientId: 'nowhere', pingTimeoutMs: 1000 });
    expect(await nowhere.ping()).toBe(false);
    await nowhere.close();
  });

  it('creates topics under the prefix, with their partition count and compaction, idempotently', async () => {
    await sut.ensureTopics([{ topic: 'spec.plain', partitions: 3 }, { topic: 'spec.compacted', compacted: true }]);
    await sut.ensureTopics([{ topic: 'spec.plain', partitions: 3 }]);
    const another = await makeBus();
    await another.ensureTopics([{ topic: 'spec.compacted', compacted: true }]);
    await another.close();
    const metadata = await admin.fetchTopicMetadata({ topics: [`${prefix}spec.plain`, `${prefix}spec.compacted`] });
    expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual([
      [`${prefix}spec.compacted`, 6],
      [`${prefix}spec.plain`, 3],
    ]);
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: `${prefix}spec.compacted`, configNames: ['cleanup.policy'] }],
    });
    expect(configs.resources[0].configEntries[0]).toMatchObject({ configName: 'cleanup.policy', configValue: 'compact' });
  });

  it('lets several processes create the same new topics at once, each publishing as soon as its call returns', async () => {
    const buses = await Promise.all([makeBus(), makeBus(), makeBus(), makeBus()]);
    try {
      const topics = ['spec.race.a', 'spec.race.b', 'spec.race.c'].map((topic) => ({ topic, partitions: 4 }));
      await Promise.all(
        buses.map(async (bus, i) => {
          await bus.ensureTopics(topics);
          await bus.publish('spec.race.b', [{ key: `k${i}`, value: { from: i } }]);
        }),
      );
      const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => `${prefix}${t.topic}`) });
      expect(metadata.topics.map((t) => t.partitions.length)).toEqual([4, 4, 4]);
      const offsets = await admin.fetchTopicOffsets(`${prefix}spec.race.b`);
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(4);
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
    }
  });

  it('reads gzip-compressed, auto-compressed and uncompressed batches alike, large values intact', async () => {
    const writers = (['gzip', 'auto', 'none'] as const).map(
      (compression) => new KafkaBus({ brokers: kafkaBrokers(), clientId: `bus-${compression}`, topicPrefix: prefix, defaultPartitions: 2, compression, compressAboveBytes: 1024 }),
    );
    try {
      const received: BusMessage[] = [];
      await sut.subscribe({ ...testConsumer, groupId: 'spec.compression', topics: ['spec.compression'], eachMessage: async (m) => void received.push(m) });
      const big = 'заказ '.repeat(50_000);
      for (const [index, writer] of writers.entries()) {
        await writer.publish('spec.compression', [{ key: 'k', value: { from: index, big } }]);
        await writer.publish('spec.compression', [{ key: 'k', value: { from: index, small: true } }]);
      }
      await waitUntil(() => received.length === 6);
      expect(received.map((m) => JSON.parse(m.value.toString('utf8')) as unknown)).toEqual([0, 1, 2].flatMap((from) => [{ from, big }, { from, small: true }]));
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
  });

  it('prefixes consumer groups and sends JSON, strings and bytes as such', async () => {
    const received: BusMessage[] = [];
    await sut.subscribe({ ...testConsumer, groupId: 'spec.values', topics: ['spec.values'], eachMessage: async (m) => void received.push(m) });
    await sut.publish('spec.values', [
      { key: 'a', value: { n: 1 } },
      { key: 'a', value: 'plain text' },
      { key: 'a', value: Buffer.from([0, 1, 2]), headers: { 'x-kind': 'bytes' } },
    ]);
    await waitUntil(() => received.length === 3);
    expect(received.map((m) => m.value)).toEqual([Buffer.from('{"n":1}'), Buffer.from('plain text'), Buffer.from([0, 1, 2])]);
    expect(received.map((m) => m.topic)).toEqual(['spec.values', 'spec.values', 'spec.values']);
    expect(received[2].headers['x-kind']).toBe('bytes');
    await waitUntil(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: `${prefix}spec.values`, topics: [`${prefix}spec.values`] });
      return offsets.partitions.some((p) => p.offset === '3');
    });
  });

  it('loses nothing when the kafkajs consumer is disconnected abruptly under a slow handler', async () => {
    const topic = 'spec.hard-disconnect';
    await sut.ensureTopics([{ topic, partitions: 6 }]);
    const messages = [];
    for (let seq = 0; seq < 20; seq++) for (let k = 0; k < 30; k++) messages.push({ key: `key-${k}`, value: { key: `key-${k}`, seq } });
    await sut.publish(topic, messages);
    const handled = new Set<string>();
    let inFlight = false;
    const first = (await sut.subscribe({
      ...testConsumer,
      groupId: 'spec.hard',
      topics: [topic],
      maxBatchSize: 25,
      eachBatch: async (batch) => {
        inFlight = true;
        await new Promise((r) => setTimeout(r, 150));
        batch.forEach((m) => handled.add(m.value.toString()));
        inFlight = false;
      },
    })) as KafkaSubscription;
    await waitUntil(() => handled.size >= 100 && inFlight);
    await first.consumer.disconnect();

    await sut.subscribe({
      ...testConsumer,
      groupId: 'spec.hard',
      topics: [topic],
      eachBatch: async (batch) => batch.forEach((m) => handled.add(m.value.toString())),
    });
    await waitUntil(() => handled.size >= 600);
    expect(handled.size).toBe(600);
  });
});

async function waitUntil(predicate: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
