import { Partitioners, type ICustomPartitioner, type PartitionerArgs } from 'kafkajs';

/**
 * kafkajs' default partitioner (murmur2 of the key, as the Java client), remembering each string
 * key's partition: the bus publishes many records per conversation, and hashing every one of them
 * (with a filter of the partition list per record) was a few per cent of a busy producer's CPU.
 * The memory is per topic and partition count (a topic that grows starts over) and bounded: at
 * `maxKeys` keys a topic's memory is cleared. Records with an explicit partition, a Buffer key or no
 * key go to the default partitioner as they are.
 */
export function keyPartitioner(base: ICustomPartitioner = Partitioners.DefaultPartitioner, maxKeys = 50_000): ICustomPartitioner {
  return () => {
    const partition = base();
    const topics = new Map<string, { partitions: number; keys: Map<string, number> }>();
    return (args: PartitionerArgs): number => {
      const { message, topic, partitionMetadata } = args;
      if (typeof message.key !== 'string' || (message.partition !== undefined && message.partition !== null)) return partition(args);
      let memory = topics.get(topic);
      if (!memory || memory.partitions !== partitionMetadata.length) {
        memory = { partitions: partitionMetadata.length, keys: new Map() };
        topics.set(topic, memory);
      }
      const known = memory.keys.get(message.key);
      if (known !== undefined) return known;
      const chosen = partition(args);
      if (memory.keys.size >= maxKeys) memory.keys.clear();
      memory.keys.set(message.key, chosen);
      return chosen;
    };
  };
}
