import { Message, TopicMessages } from 'kafkajs';
import { ProduceBatcher } from './produce-batcher';

const record = (value: string): Message => ({ key: 'k', value });

describe(ProduceBatcher.name, () => {
  it('coalesces concurrent calls into one send, in call order, and settles each call with its send', async () => {
    const sends: TopicMessages[][] = [];
    const sut = new ProduceBatcher(async (batch) => void sends.push(batch), { lingerMs: 5, maxBatchRecords: 1000, maxBatchBytes: 1 << 20 });
    await Promise.all([sut.enqueue('a', [record('1'), record('2')]), sut.enqueue('b', [record('x')]), sut.enqueue('a', [record('3')])]);
    expect(sends).toHaveLength(1);
    expect(sends[0].map((t) => [t.topic, t.messages.map((m) => m.value)])).toEqual([
      ['a', ['1', '2', '3']],
      ['b', ['x']],
    ]);
  });

  it('queues while a send is in flight and sends the queue next, one send at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const sends: string[][] = [];
    const sut = new ProduceBatcher(
      async (batch) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        sends.push(batch.flatMap((t) => t.messages.map((m) => String(m.value))));
        inFlight--;
      },
      { lingerMs: 1, maxBatchRecords: 1000, maxBatchBytes: 1 << 20 },
    );
    const first = sut.enqueue('a', [record('1')]);
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([first, sut.enqueue('a', [record('2')]), sut.enqueue('a', [record('3')])]);
    expect(sends).toEqual([['1'], ['2', '3']]);
    expect(maxInFlight).toBe(1);
  });

  it('splits a call over the record limit and sends at once when the limit is reached', async () => {
    const sizes: number[] = [];
    const sut = new ProduceBatcher(async (batch) => void sizes.push(batch.reduce((n, t) => n + t.messages.length, 0)), {
      lingerMs: 10_000,
      maxBatchRecords: 3,
      maxBatchBytes: 1 << 20,
    });
    await sut.enqueue('a', ['1', '2', '3', '4', '5', '6', '7'].map(record));
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('rejects the calls of a failed send only', async () => {
    let calls = 0;
    const sut = new ProduceBatcher(
      async () => {
        if (++calls === 1) throw new Error('broker said no');
      },
      { lingerMs: 1, maxBatchRecords: 1000, maxBatchBytes: 1 << 20 },
    );
    await expect(sut.enqueue('a', [record('1')])).rejects.toThrow('broker said no');
    await expect(sut.enqueue('a', [record('2')])).resolves.toBeUndefined();
    await sut.flush();
  });
});
