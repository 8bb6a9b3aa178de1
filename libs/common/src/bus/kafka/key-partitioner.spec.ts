import { Partitioners, type PartitionerArgs, type PartitionMetadata } from 'kafkajs';
import { keyPartitioner } from './key-partitioner';

const partitions = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));

const args = (key: string | Buffer | null, count: number, partition?: number, topic = 'inbox.events.v1'): PartitionerArgs => ({
  topic,
  partitionMetadata: partitions(count),
  message: { key, value: 'v', ...(partition === undefined ? {} : { partition }) },
});

describe('keyPartitioner', () => {
  const keys = Array.from({ length: 500 }, (_, index) => `conversation-${index}-${(index * 7919).toString(36)}`);

  it('chooses what kafkajs’ default partitioner chooses, the first time and from memory', () => {
    const reference = Partitioners.DefaultPartitioner();
    const cached = keyPartitioner()();
    for (const round of [1, 2]) {
      for (const key of keys) expect([round, key, cached(args(key, 6))]).toEqual([round, key, reference(args(key, 6))]);
    }
    expect(new Set(keys.map((key) => cached(args(key, 6)))).size).toBe(6);
  });

  it('hashes each key once per topic and partition count', () => {
    const calls: string[] = [];
    const counting = () => {
      const inner = Partitioners.DefaultPartitioner();
      return (input: PartitionerArgs) => {
        calls.push(`${input.topic}/${input.partitionMetadata.length}/${String(input.message.key)}`);
        return inner(input);
      };
    };
    const cached = keyPartitioner(counting)();
    for (let round = 0; round < 3; round += 1) cached(args('a', 6));
    cached(args('a', 6, undefined, 'other.topic'));
    const before = cached(args('a', 6));
    const grown = cached(args('a', 12));
    expect(calls).toEqual(['inbox.events.v1/6/a', 'other.topic/6/a', 'inbox.events.v1/12/a']);
    expect(grown).toBe(Partitioners.DefaultPartitioner()(args('a', 12)));
    expect(before).toBe(Partitioners.DefaultPartitioner()(args('a', 6)));
  });

  it('leaves an explicit partition, a Buffer key and a missing key to the default partitioner', () => {
    const cached = keyPartitioner()();
    expect(cached(args('a', 6, 5))).toBe(5);
    expect(cached(args('a', 6, 0))).toBe(0);
    expect(cached(args(Buffer.from('a'), 6))).toBe(Partitioners.DefaultPartitioner()(args(Buffer.from('a'), 6)));
    const keyless = new Set(Array.from({ length: 60 }, () => cached(args(null, 6))));
    expect(keyless.size).toBeGreaterThan(1);
  });

  it('forgets a topic’s keys when it holds too many, and still answers right', () => {
    const cached = keyPartitioner(Partitioners.DefaultPartitioner, 10)();
    const reference = Partitioners.DefaultPartitioner();
    for (const key of [...keys, ...keys]) expect(cached(args(key, 6))).toBe(reference(args(key, 6)));
  });
});
