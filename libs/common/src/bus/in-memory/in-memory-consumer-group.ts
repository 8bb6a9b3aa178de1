import { InMemoryTopic } from './in-memory-topic';

/** A member of a group: what it subscribes to, and how it is told which partitions it owns. */
export interface InMemoryGroupMember {
  readonly topics: readonly InMemoryTopic[];
  assign(partitions: ReadonlyArray<{ topic: InMemoryTopic; partition: number }>): void;
}

/**
 * One consumer group: committed offsets, members, and the partition assignment (round-robin per topic,
 * recomputed on every join and leave). A partition changes hands only after its previous owner let go,
 * so no partition is ever handled by two members at once.
 */
export class InMemoryConsumerGroup {
  private readonly committed = new Map<string, number>();
  private readonly members: InMemoryGroupMember[] = [];
  private readonly owners = new Map<string, Promise<void>>();

  constructor(readonly id: string) {}

  join(member: InMemoryGroupMember): void {
    this.members.push(member);
    this.rebalance();
  }

  leave(member: InMemoryGroupMember): void {
    const index = this.members.indexOf(member);
    if (index < 0) return;
    this.members.splice(index, 1);
    this.rebalance();
  }

  committedOffset(topic: string, partition: number): number | undefined {
    return this.committed.get(partitionKey(topic, partition));
  }

  commit(topic: string, partition: number, offset: number): void {
    this.committed.set(partitionKey(topic, partition), offset);
  }

  committedOffsets(topic: string): Map<number, number> {
    const out = new Map<number, number>();
    for (const [key, offset] of this.committed) {
      const [name, partition] = splitKey(key);
      if (name === topic) out.set(partition, offset);
    }
    return out;
  }

  /**
   * Registers a new owner of a partition.
   * @param released settles when the new owner lets go
   * @returns settles when the previous owner has let go
   */
  handOver(topic: string, partition: number, released: Promise<void>): Promise<void> {
    const key = partitionKey(topic, partition);
    const previous = this.owners.get(key) ?? Promise.resolve();
    this.owners.set(key, released);
    return previous;
  }

  private rebalance(): void {
    const assignments = new Map<InMemoryGroupMember, Array<{ topic: InMemoryTopic; partition: number }>>();
    const topics = new Map<string, InMemoryTopic>();
    for (const member of this.members) for (const topic of member.topics) topics.set(topic.name, topic);
    for (const topic of topics.values()) {
      const subscribers = this.members.filter((m) => m.topics.includes(topic));
      for (let partition = 0; partition < topic.partitionCount; partition++) {
        const owner = subscribers[partition % subscribers.length];
        const list = assignments.get(owner) ?? [];
        list.push({ topic, partition });
        assignments.set(owner, list);
      }
    }
    for (const member of this.members) member.assign(assignments.get(member) ?? []);
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}#${partition}`;
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('#');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
