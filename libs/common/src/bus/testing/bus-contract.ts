import { randomBytes } from 'node:crypto';
import { busContextFromHeaders, currentBusContext, withBusContext, withMessageContext } from '../bus-context';
import {
  BusMessage,
  ContextHeaders,
  DlqHeaders,
  MessageBus,
  NonRetryableError,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
} from '../bus.port';

/** What the contract suite needs from an adapter besides the MessageBus port. */
export interface BusContractHarness<B extends MessageBus = MessageBus> {
  /** A bus for one test (closed after it); tests name their own topics and groups, so a shared prefix is fine. */
  makeBus(): Promise<B>;
  /** Crashes a subscription: nothing it does is committed any more, and its partitions go to the others. */
  kill(subscription: Subscription): Promise<void>;
  /** Committed offsets (next offset to read) of a group on a topic, by partition. */
  committedOffsets(bus: B, groupId: string, topic: string): Promise<Map<number, string>>;
  /** How long the suite waits for something to happen before it fails. */
  waitMs: number;
  /** Merged into every subscribe() (e.g. short Kafka session timeouts for tests). */
  subscribeDefaults?: Partial<SubscribeOptions>;
}

interface Seq {
  key: string;
  seq: number;
}

const fastRetry = { initialBackoffMs: 5, maxBackoffMs: 20 };

/**
 * The bus contract: ONE suite, run against every adapter (in-memory in a unit spec, Kafka in an
 * integration spec on the real broker). Each test uses its own topics and groups.
 */
export function describeBusContract<B extends MessageBus>(name: string, harness: BusContractHarness<B>): void {
  describe(`${name} bus contract`, () => {
    const buses: MessageBus[] = [];
    let testId = '';
    const t = (local: string): string => `${testId}.${local}`;
    const bus = async (): Promise<B> => {
      const made = await harness.makeBus();
      buses.push(made);
      return made;
    };
    const subscribe = (target: MessageBus, options: SubscribeOptions): Promise<Subscription> =>
      target.subscribe({ ...harness.subscribeDefaults, ...options });
    const waitFor = (what: string, predicate: () => boolean | Promise<boolean>) => waitUntil(what, predicate, harness.waitMs);

    beforeEach(() => {
      testId = `c${randomBytes(4).toString('hex')}`;
    });

    afterEach(async () => {
      await Promise.all(buses.splice(0).map((b) => b.close()));
    });

    it('keeps per-key order over thousands of messages across partitions', async () => {
      const sut = await bus();
      const topic = t('order');
      await sut.ensureTopics([{ topic, partitions: 6 }]);
      const keys = 200;
      const perKey = 25;
      const seen = new Map<string, number[]>();
      const partitionsOfKey = new Map<string, Set<number>>();
      let received = 0;
      await subscribe(sut, {
        groupId: t('g'),
        topics: [topic],
        maxBatchSize: 100,
        eachBatch: async (messages) => {
          for (const m of messages) {
            const { key, seq } = decode<Seq>(m);
            expect(m.key).toBe(key);
            seen.set(key, [...(seen.get(key) ?? []), seq]);
            partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(m.partition));
            received++;
          }
        },
      });

      // concurrent publish calls, issued in sequence order: the order of the calls is the order on the bus
      const calls: Array<Promise<void>> = [];
      for (let seq = 0; seq < perKey; seq++) {
        const batch: OutgoingMessage[] = [];
        for (let k = 0; k < keys; k++) batch.push({ key: `key-${k}`, value: { key: `key-${k}`, seq } });
        calls.push(sut.publish(topic, batch));
      }
      await Promise.all(calls);

      await waitFor(`${keys * perKey} messages`, () => received >= keys * perKey);
      expect(seen.size).toBe(keys);
      for (const [key, seqs] of seen) {
        expect({ key, seqs }).toEqual({ key, seqs: range(perKey) });
        expect(partitionsOfKey.get(key)?.size).toBe(1);
      }
      const partitionsUsed = new Set([...partitionsOfKey.values()].flatMap((s) => [...s]));
      expect(partitionsUsed.size).toBe(6);
    });

    it('gives a failing message to the handler again, before anything after it', async () => {
      const sut = await bus();
      const topic = t('retry');
      await sut.ensureTopics([{ topic, partitions: 1 }]);
      await sut.publish(topic, range(10).map((seq) => ({ key: 'k', value: { key: 'k', seq } })));
      const handled: number[] = [];
      let failuresLeft = 2;
      await subscribe(sut, {
        groupId: t('g'),
        topics: [topic],
        retry: { maxAttempts: 5, ...fastRetry },
        eachMessage: async (m) => {
          const { seq } = decode<Seq>(m);
          handled.push(seq);
          if (seq === 3 && failuresLeft-- > 0) throw new Error('temporary');
        },
      });
      await waitFor('all ten handled', () => handled.includes(9));
      expect(handled).toEqual([0, 1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9]);
      await waitFor('offset 10 committed', async () => (await harness.committedOffsets(sut, t('g'), topic)).get(0) === '10');
    });

    it('commits nothing at or after a message whose handler keeps failing; the group resumes at it', async () => {
      const sut = await bus();
      const topic = t('stuck');
      await sut.ensureTopics([{ topic, partitions: 1 }]);
      await sut.publish(topic, range(10).map((seq) => ({ key: 'k', value: { key: 'k', seq } })));
      const attemptsAt3: number[] = [];
      const first = await subscribe(sut, {
        groupId: t('g'),
        topics: [topic],
        retry: { maxAttempts: 1000, initialBackoffMs: 50, maxBackoffMs: 50 },
        eachMessage: async (m) => {
          const { seq } = decode<Seq>(m);
          if (seq === 3) {
            attemptsAt3.push(Date.now());
            throw new Error('down');
          }
        },
      });
      await waitFor('message 3 attempted three times', () => attemptsAt3.length >= 3);
      expect((await harness.committedOffsets(sut, t('g'), topic)).get(0)).toBe('3');
      await first.stop();
      expect((await harness.committedOffsets(sut, t('g'), topic)).get(0)).toBe('3');

      const resumed: number[] = [];
      await subscribe(sut, {
        groupId: t('g'),
        topics: [topic],
        eachMessage: async (m) => {
          resumed.push(decode<Seq>(m).seq);
        },
      });
      await waitFor('the rest handled', () => resumed.includes(9));
      expect(resumed).toEqual([3, 4, 5, 6, 7, 8, 9]);
    });

    it('sends a poison message to the DLQ with its reason and original headers, and the partition continues', async () => {
      const sut = await bus();
      const topic = t('poison');
      const dlq = t('dlq');
      await sut.ensureTopics([{ topic, partitions: 1 }]);
      await sut.publish(
        topic,
        range(10).map((seq) => ({ key: `k${seq}`, value: { key: `k${seq}`, seq }, headers: { 'x-test': `v${seq}` } })),
      );
      const handled = new Set<number>();
      await subscribe(sut, {
        groupId: t('g'),
        topics: [topic],
        dlqTopic: dlq,
        retry: { maxAttempts: 3, ...fastRetry },
        maxBatchSize: 10,
        eachBatch: async (messages) => {
          const seqs = messages.map((m) => decode<Seq>(m).seq);
          if (seqs.includes(3)) throw new Error('cannot handle 3');
          seqs.forEach((s) => handled.add(s));
        },
      });
      const dead: BusMessage[] = [];
      await subscribe(sut, {
        groupId: t('dlq-reader'),
        topics: [dlq],
        dlqTopic: t('dlq-of-dlq'),
        eachMessage: async (m) => {
          dead.push(m);
        },
      });

      await waitFor('the nine others handled', () => handled.size === 9);
      await waitFor('one message in the DLQ', () => dead.length >= 1);
      expect([...handled].sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
      const [letter] = dead;
      expect(dead).toHaveLength(1);
      expect(letter.key).toBe('k3');
      expect(JSON.parse(letter.value.toString())).toEqual({ key: 'k3', seq: 3 });
      expect(letter.headers).toMatchObject({
        'x-test': 'v3',
        [DlqHeaders.error]: 'cannot handle 3',
        [DlqHeaders.errorName]: 'Error',
        [DlqHeaders.originalTopic]: topic,
        [DlqHeaders.originalPartition]: '0',
        [DlqHeaders.originalOffset]: '3',
        [DlqHeaders.consumerGroup]: t('g'),
        [DlqHeaders.attempts]: '3',
      });
      expect(Number.isNaN(Date.parse(letter.headers[DlqHeaders.failedAt]))).toBe(false);
      await waitFor('offset 10 committed', async () => (await harness.committedOffsets(sut, t('g'), topic)).get(0) === '10');
    });

    it('sends a NonRetryableError to the DLQ at once', async () => {
      const sut = await bus();
      const topic = t('invalid');
      const dlq = t('dlq');
      await sut.ensureTopics([{ topic, partitions: 1 }]);
      await sut.publish(topic, range(5).map((seq) => ({ key: 'k', value: { key: 'k', seq } })));
      const calls: number[] = [];
      await subscribe(sut, {
        groupId: t('g'),
        topics: [topic],
        dlqTopic: dlq,
        retry: { maxAttempts: 5, ...fastRetry },
        eachMessage: async (m) => {
          const { seq } = decode<Seq>(m);
          calls.push(seq);
          if (seq === 2) throw new NonRetryableError('not a valid event');
        },
      });
      const dead: BusMessage[] = [];
      await subscribe(sut, {
        groupId: t('dlq-reader'),
        topics: [dlq],
        dlqTopic: t('dlq-of-dlq'),
        eachMessage: async (m) => {
          dead.push(m);
        },
      });
      await waitFor('all handled and one dead letter', () => calls.includes(4) && dead.length >= 1);
      expect(calls).toEqual([0, 1, 2, 3, 4]);
      expect(dead[0].headers).toMatchObject({
        [DlqHeaders.error]: 'not a valid event',
        [DlqHeaders.errorName]: 'NonRetryableError',
        [DlqHeaders.attempts]: '1',
        [DlqHeaders.originalOffset]: '2',
      });
    });

    describe('a consumer that goes away mid-batch loses nothing', () => {
      const keys = 40;
      const perKey = 25;
      const total = keys * perKey;

      async function setUp(sut: MessageBus, topic: string) {
        await sut.ensureTopics([{ topic, partitions: 6 }]);
        const batch: OutgoingMessage[] = [];
        for (let seq = 0; seq < perKey; seq++) for (let k = 0; k < keys; k++) batch.push({ key: `key-${k}`, value: { key: `key-${k}`, seq } });
        await sut.publish(topic, batch);
      }

      function recorder() {
        const log: Seq[] = [];
        return {
          log,
          record: (messages: BusMessage[]) => messages.forEach((m) => log.push(decode<Seq>(m))),
        };
      }

      function expectComplete(...logs: Seq[][]) {
        const byKey = new Map<string, Set<number>>();
        for (const { key, seq } of logs.flat()) byKey.set(key, (byKey.get(key) ?? new Set()).add(seq));
        expect(byKey.size).toBe(keys);
        for (const [key, seqs] of byKey) expect({ key, seqs: [...seqs].sort((a, b) => a - b) }).toEqual({ key, seqs: range(perKey) });
      }

      /** what the restarted consumer sees of each key: consecutive, increasing, up to the last one */
      function expectResumedWithoutGaps(log: Seq[]) {
        const byKey = new Map<string, number[]>();
        for (const { key, seq } of log) byKey.set(key, [...(byKey.get(key) ?? []), seq]);
        for (const [key, seqs] of byKey) {
          const from = seqs[0];
          expect({ key, seqs }).toEqual({ key, seqs: range(perKey - from).map((i) => from + i) });
        }
      }

      it('when killed while a slow batch is in flight', async () => {
        const sut = await bus();
        const topic = t('kill');
        await setUp(sut, topic);
        const before = recorder();
        let inFlight = false;
        let dead = false;
        const victim = await subscribe(sut, {
          groupId: t('g'),
          topics: [topic],
          maxBatchSize: 20,
          eachBatch: async (messages) => {
            inFlight = true;
            await sleep(100);
            // a process that died mid-batch never got to its side effects
            if (!dead) before.record(messages);
            inFlight = false;
          },
        });
        await waitFor('a few batches handled and one in flight', () => before.log.length >= 100 && inFlight);
        dead = true;
        await harness.kill(victim);

        const after = recorder();
        await subscribe(sut, {
          groupId: t('g'),
          topics: [topic],
          eachBatch: async (messages) => after.record(messages),
        });
        await waitFor('every message handled at least once', () => distinct(before.log, after.log) >= total);
        expectComplete(before.log, after.log);
        expectResumedWithoutGaps(after.log);
      });

      it('when stopped gracefully: the batch in hand finishes and is committed, nothing is handled twice', async () => {
        const sut = await bus();
        const topic = t('stop');
        await setUp(sut, topic);
        const before = recorder();
        let inFlight = false;
        const first = await subscribe(sut, {
          groupId: t('g'),
          topics: [topic],
          maxBatchSize: 20,
          eachBatch: async (messages) => {
            inFlight = true;
            await sleep(100);
            before.record(messages);
            inFlight = false;
          },
        });
        await waitFor('a few batches handled and one in flight', () => before.log.length >= 100 && inFlight);
        const handledBeforeStop = before.log.length;
        await first.stop();
        expect(inFlight).toBe(false);
        expect(before.log.length).toBeGreaterThan(handledBeforeStop);
        const handledByFirst = before.log.length;

        const after = recorder();
        await subscribe(sut, {
          groupId: t('g'),
          topics: [topic],
          eachBatch: async (messages) => after.record(messages),
        });
        await waitFor('every message handled', () => distinct(before.log, after.log) >= total);
        expect(before.log.length).toBe(handledByFirst);
        expectComplete(before.log, after.log);
        expect(before.log.length + after.log.length).toBe(total);
      });
    });

    it('splits the partitions among the consumers of a group', async () => {
      const sut = await bus();
      const topic = t('split');
      await sut.ensureTopics([{ topic, partitions: 6 }]);
      const byConsumer: Array<Set<number>> = [new Set(), new Set()];
      const seen = new Set<string>();
      const busy = new Map<number, number>();
      let overlaps = 0;
      const consumer = (index: number) =>
        subscribe(sut, {
          groupId: t('g'),
          topics: [topic],
          eachBatch: async (messages) => {
            const partition = messages[0].partition;
            busy.set(partition, (busy.get(partition) ?? 0) + 1);
            if ((busy.get(partition) ?? 0) > 1) overlaps++;
            await sleep(5);
            for (const m of messages) {
              const { key, seq } = decode<Seq>(m);
              seen.add(`${key}/${seq}`);
              byConsumer[index].add(m.partition);
            }
            busy.set(partition, (busy.get(partition) ?? 1) - 1);
          },
        });
      await consumer(0);
      await consumer(1);
      const batch: OutgoingMessage[] = [];
      for (let seq = 0; seq < 10; seq++) for (let k = 0; k < 60; k++) batch.push({ key: `key-${k}`, value: { key: `key-${k}`, seq } });
      await sut.publish(topic, batch);

      await waitFor('all 600 handled', () => seen.size >= 600);
      expect(byConsumer[0].size).toBeGreaterThan(0);
      expect(byConsumer[1].size).toBeGreaterThan(0);
      expect(new Set([...byConsumer[0], ...byConsumer[1]]).size).toBe(6);
      expect([...byConsumer[0]].filter((p) => byConsumer[1].has(p))).toEqual([]);
      expect(overlaps).toBe(0);
    });

    it('carries the correlation id and traceparent of a handled message into what its handler publishes', async () => {
      const sut = await bus();
      const source = t('source');
      const derived = t('derived');
      await sut.ensureTopics([{ topic: source }, { topic: derived }]);
      const contexts: Array<ReturnType<typeof currentBusContext>> = [];
      await subscribe(sut, {
        groupId: t('relay'),
        topics: [source],
        eachMessage: async (m) => {
          contexts.push(currentBusContext());
          await sut.publish(derived, [{ key: m.key, value: { from: m.key } }]);
        },
      });
      await subscribe(sut, {
        groupId: t('batch-relay'),
        topics: [source],
        maxBatchSize: 50,
        eachBatch: async (messages) => {
          for (const m of messages) {
            await withMessageContext(m, () => sut.publish(derived, [{ key: m.key, value: { from: m.key, batch: true } }]));
          }
        },
      });
      const received: BusMessage[] = [];
      await subscribe(sut, {
        groupId: t('sink'),
        topics: [derived],
        eachMessage: async (m) => {
          received.push(m);
        },
      });

      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      await sut.publish(source, [{ key: 'with-context', value: {}, headers: { [ContextHeaders.correlationId]: 'corr-123', [ContextHeaders.traceparent]: traceparent } }]);
      await withBusContext({ correlationId: 'corr-from-http' }, () => sut.publish(source, [{ key: 'from-http', value: {} }]));
      await sut.publish(source, [{ key: 'no-context', value: {} }]);

      await waitFor('six derived messages', () => received.length >= 6);
      const of = (key: string) => received.filter((m) => m.key === key).map((m) => busContextFromHeaders(m.headers));
      expect(of('with-context')).toEqual([
        { correlationId: 'corr-123', traceparent },
        { correlationId: 'corr-123', traceparent },
      ]);
      expect(of('from-http')).toEqual([{ correlationId: 'corr-from-http' }, { correlationId: 'corr-from-http' }]);
      const generated = of('no-context');
      expect(generated).toHaveLength(2);
      expect(generated[0].correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(generated[1].correlationId).toBe(generated[0].correlationId);
      expect(contexts).toContainEqual({ correlationId: 'corr-123', traceparent });
    });
  });
}

function decode<T>(message: BusMessage): T {
  return JSON.parse(message.value.toString('utf8')) as T;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function distinct(...logs: Seq[][]): number {
  return new Set(logs.flat().map(({ key, seq }) => `${key}/${seq}`)).size;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(20);
  }
}
