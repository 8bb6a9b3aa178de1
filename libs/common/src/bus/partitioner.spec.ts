import { Partitioners } from 'kafkajs';
import { partitionForKey } from './partitioner';

describe('partitionForKey', () => {
  it("places keys on the partitions kafkajs' DefaultPartitioner (Java-compatible murmur2) picks", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 6, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
      for (let i = 0; i < 500; i++) {
        const key = i % 7 === 0 ? `ключ-${i}-é` : `inbox-${i}:thread-${i * 31}`;
        const expected = kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } });
        expect({ key, partition: partitionForKey(key, partitions) }).toEqual({ key, partition: expected });
      }
    }
  });
});
