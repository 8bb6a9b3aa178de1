import { randomUUID } from 'node:crypto';
import { BusMessage, CloudEvent, MessageBus, Subscription, Topics } from '@switchboard/common';
import { waitFor } from './wait-for';

export interface ProbedRecord {
  topic: string;
  key: string;
  headers: Record<string, string>;
  /** the value parsed as JSON (undefined when it is not JSON) */
  json: unknown;
  /** the value as a CloudEvent when it looks like one */
  event?: CloudEvent<unknown>;
  message: BusMessage;
}

/**
 * Records everything published to some topics of a bus (its own consumer group, from the
 * beginning), so tests can wait for the events a host produces and check their keys and payloads.
 */
export class BusProbe {
  readonly records: ProbedRecord[] = [];
  private subscription: Subscription | undefined;

  private constructor(private readonly topics: string[]) {}

  static async start(bus: MessageBus, topics: string[]): Promise<BusProbe> {
    const probe = new BusProbe(topics);
    await bus.ensureTopics(topics.map((topic) => ({ topic })));
    probe.subscription = await bus.subscribe({
      groupId: `probe-${randomUUID()}`,
      topics,
      fromBeginning: true,
      // a probe of the DLQ cannot dead-letter into it
      dlqTopic: topics.includes(Topics.dlq) ? 'probe.dlq.v1' : undefined,
      eachMessage: async (message) => {
        probe.records.push(toRecord(message));
      },
    });
    return probe;
  }

  /** records of `topic` (optionally of a CloudEvent type) */
  of(topic: string, type?: string): ProbedRecord[] {
    return this.records.filter(
      (r) => sameTopic(r.topic, topic) && (type === undefined || r.event?.type === type),
    );
  }

  /** waits until `count` records match and returns them */
  async waitFor(
    description: string,
    match: (record: ProbedRecord) => boolean,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<ProbedRecord[]> {
    const count = options.count ?? 1;
    return waitFor(
      description,
      () => {
        const found = this.records.filter(match);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs: options.timeoutMs },
    );
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  get watched(): readonly string[] {
    return this.topics;
  }
}

/** topic names may come back with the bus's prefix */
export function sameTopic(actual: string, expected: string): boolean {
  return actual === expected || actual.endsWith(expected);
}

function toRecord(message: BusMessage): ProbedRecord {
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch {
    json = undefined;
  }
  const looksLikeEvent =
    typeof json === 'object' && json !== null && 'specversion' in json && 'type' in json && 'data' in json;
  return {
    topic: message.topic,
    key: message.key,
    headers: message.headers,
    json,
    event: looksLikeEvent ? (json as CloudEvent<unknown>) : undefined,
    message,
  };
}
