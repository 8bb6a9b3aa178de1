import { partitionForKey } from '../partitioner';
import { describeBusContract } from '../testing/bus-contract';
import { InMemoryBus } from './in-memory-bus';
import { InMemorySubscription } from './in-memory-subscription';

describeBusContract('in-memory', {
  makeBus: async () => new InMemoryBus({ topicPrefix: 'unit.', defaultPartitions: 6 }),
  kill: async (subscription) => (subscription as InMemorySubscription).kill(),
  committedOffsets: (bus, groupId, topic) => bus.committedOffsets(groupId, topic),
  waitMs: 4_000,
});

describe(InMemoryBus.name, () => {
  it('creates a topic published to with the default partition count, and keeps an explicit count', async () => {
    const sut = new InMemoryBus({ defaultPartitions: 3 });
    await sut.publish('a.topic', [{ key: 'k', value: 1 }]);
    await sut.ensureTopics([{ topic: 'b.topic', partitions: 2 }, { topic: 'a.topic', partitions: 9 }]);
    expect(sut.partitionCount('a.topic')).toBe(3);
    expect(sut.partitionCount('b.topic')).toBe(2);
  });

  it('refuses a subscription without a handler, and publishing once closed', async () => {
    const sut = new InMemoryBus();
    await expect(sut.subscribe({ groupId: 'g', topics: ['t'] })).rejects.toThrow(/eachMessage or eachBatch/);
    await sut.close();
    await expect(sut.publish('t', [{ key: 'k', value: 1 }])).rejects.toThrow(/closed/);
    expect(await sut.ping()).toBe(false);
  });

  it('shows the unprefixed topic to handlers and commits on the partition the key maps to', async () => {
    const sut = new InMemoryBus({ topicPrefix: 'a.' });
    const handled: string[] = [];
    await sut.subscribe({ groupId: 'g', topics: ['t'], eachMessage: async (m) => void handled.push(`${m.topic}/${m.partition}`) });
    await sut.publish('t', [{ key: 'k', value: 'x' }]);
    await new Promise((r) => setTimeout(r, 20));
    const partition = partitionForKey('k', 6);
    expect(handled).toEqual([`t/${partition}`]);
    expect(await sut.committedOffsets('g', 't')).toEqual(new Map([[partition, '1']]));
    await sut.close();
  });

  it('keeps about retainPerPartition records: the oldest go from plain topics, compacted ones keep each key\'s latest', async () => {
    const sut = new InMemoryBus({ defaultPartitions: 1, retainPerPartition: 10 });
    await sut.ensureTopics([{ topic: 'plain' }, { topic: 'compacted', compacted: true }]);
    for (let i = 0; i < 30; i++) {
      await sut.publish('plain', [{ key: `k${i}`, value: i }]);
      await sut.publish('compacted', [{ key: `k${i % 3}`, value: i }]);
    }
    const plain: string[] = [];
    const compacted: string[] = [];
    await sut.subscribe({ groupId: 'g', topics: ['plain'], eachMessage: async (m) => void plain.push(`${m.offset}:${m.value}`) });
    await sut.subscribe({ groupId: 'g2', topics: ['compacted'], eachMessage: async (m) => void compacted.push(`${m.key}=${m.value}`) });
    await new Promise((r) => setTimeout(r, 30));
    expect(plain[0]).toBe('20:20');
    expect(plain).toHaveLength(10);
    expect(compacted).toEqual(['k0=27', 'k1=28', 'k2=29']);
    expect(await sut.committedOffsets('g', 'plain')).toEqual(new Map([[0, '30']]));
    await sut.close();
  });
});
