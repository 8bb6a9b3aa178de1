import type { OperatorEvent } from '../operator-event';
import { ReplayBuffer } from '../replay-buffer';

let counter = 0;
function event(overrides: Partial<OperatorEvent> = {}): OperatorEvent {
  counter += 1;
  return {
    id: `e${counter}`,
    type: 'switchboard.message.created.v1',
    name: 'message.created',
    payload: {},
    meta: { eventId: `e${counter}`, type: 'switchboard.message.created.v1', time: new Date().toISOString() },
    audience: { inboxId: 'inbox' },
    conversationId: 'c',
    partition: 0,
    timestamp: 1_000_000 + counter * 10_000,
    ...overrides,
  };
}

describe(ReplayBuffer.name, () => {
  it('gives what came after the last event seen, in order', () => {
    const sut = new ReplayBuffer(10);
    const [a, b, c] = [event(), event(), event()];
    [a, b, c].forEach((e) => sut.push(e));
    expect(sut.since(a.id)?.map((e) => e.id)).toEqual([b.id, c.id]);
    expect(sut.since(c.id)).toEqual([]);
  });

  it('reports a gap (undefined) for an unknown or evicted id', () => {
    const sut = new ReplayBuffer(2);
    const [a, b, c] = [event(), event(), event()];
    [a, b, c].forEach((e) => sut.push(e));
    expect(sut.size).toBe(2);
    expect(sut.since(a.id)).toBeUndefined();
    expect(sut.since('never-seen')).toBeUndefined();
    expect(sut.since(b.id)?.map((e) => e.id)).toEqual([c.id]);
  });

  it('ignores a redelivered event', () => {
    const sut = new ReplayBuffer(10);
    const a = event();
    const b = event();
    sut.push(a);
    sut.push(b);
    sut.push(a);
    expect(sut.since(a.id)?.map((e) => e.id)).toEqual([b.id]);
  });

  it('also replays events of other partitions received just before the last one seen (another instance may have ordered them after it)', () => {
    const sut = new ReplayBuffer(10);
    const last = event({ partition: 1 });
    const otherPartitionJustBefore = event({ partition: 2, timestamp: last.timestamp - 1_000 });
    const samePartitionBefore = event({ partition: 1, timestamp: last.timestamp - 1_000 });
    const otherPartitionLongBefore = event({ partition: 3, timestamp: last.timestamp - 60_000 });
    [otherPartitionLongBefore, samePartitionBefore, otherPartitionJustBefore, last].forEach((e) =>
      sut.push(e),
    );
    const after = event({ partition: 1 });
    sut.push(after);
    expect(sut.since(last.id)?.map((e) => e.id)).toEqual([otherPartitionJustBefore.id, after.id]);
  });
});
