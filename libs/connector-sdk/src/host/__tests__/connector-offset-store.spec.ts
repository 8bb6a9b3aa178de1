import { randomBytes, randomUUID } from 'node:crypto';
import { CONNECTOR_OFFSET_TYPE, MessageBus, newEvent, Topics } from '@switchboard/common';
import { InMemoryBus } from '@switchboard/common/bus/in-memory/in-memory-bus';
import { partitionForKey } from '@switchboard/common/bus/partitioner';
import { ConnectorError } from '../../errors';
import { CapturingLogger } from '../../testing/capturing-logger';
import { barrierKeys, ConnectorOffsetStore } from '../connector-offset-store';

describe(ConnectorOffsetStore.name, () => {
  let bus: InMemoryBus;
  const logger = new CapturingLogger();
  const stores: ConnectorOffsetStore[] = [];
  const store = (
    overrides: Partial<ConstructorParameters<typeof ConnectorOffsetStore>[0]> = {},
    on: MessageBus = bus,
  ) => {
    const created = new ConnectorOffsetStore({
      bus: on,
      connectorId: 'echo',
      instanceId: randomUUID(),
      source: 'connector/echo',
      logger,
      ...overrides,
    });
    stores.push(created);
    return created;
  };

  beforeEach(() => {
    bus = new InMemoryBus({ topicPrefix: `o${randomBytes(4).toString('hex')}.`, defaultPartitions: 6 });
  });

  afterEach(async () => {
    for (const s of stores.splice(0)) await s.stop();
    await bus.close();
  });

  it('picks barrier keys that cover every partition of any count up to the maximum', () => {
    const keys = barrierKeys('echo', 64);
    for (let n = 1; n <= 64; n++) {
      expect(new Set(keys.map((key) => partitionForKey(key, n))).size).toBe(n);
    }
    expect(barrierKeys('echo', 64)).toBe(keys);
  });

  it('reads the latest position written before it started, ignoring other connectors and unreadable records', async () => {
    const inboxId = randomUUID();
    const writer = store();
    await writer.start();
    await writer.commit(inboxId, { uid: 1 });
    await writer.commit(inboxId, { uid: 2 });
    const offset = (connector: string, uid: number) =>
      newEvent(CONNECTOR_OFFSET_TYPE, 'x', {
        connector,
        inboxId,
        position: { uid },
        updatedAt: new Date().toISOString(),
      });
    await bus.publish(Topics.connectorOffsets, [
      { key: `other:${inboxId}`, value: offset('other', 99) },
      { key: `echo:${inboxId}`, value: 'garbage' },
    ]);

    const sut = store();
    await sut.start();

    expect(await sut.read(inboxId)).toEqual({ uid: 2 });
    expect(await sut.read(randomUUID())).toBeNull();
    expect(sut.isCaughtUp).toBe(true);
    expect(
      logger.lines.some((line) => line.message === 'skipping an unreadable connector offset record'),
    ).toBe(true);
  });

  it('gives its own latest write even before the reader replays it', async () => {
    const sut = store();
    await sut.start();
    const inboxId = randomUUID();
    await sut.commit(inboxId, { updateId: 5 });
    await sut.commit(inboxId, { updateId: 6 });
    expect(await sut.read(inboxId)).toEqual({ updateId: 6 });
  });

  it('fails a read with TEMPORARY when the reader cannot catch up, or when the inbox stops meanwhile', async () => {
    const silent: MessageBus = {
      ...bus,
      ensureTopics: async () => undefined,
      ping: async () => true,
      close: async () => undefined,
      publish: async () => undefined, // the barriers never arrive
      subscribe: (options) => bus.subscribe(options),
    };
    const sut = store({ catchUpTimeoutMs: 50 }, silent);
    await sut.start();

    await expect(sut.read(randomUUID())).rejects.toMatchObject({ code: 'TEMPORARY' });
    const controller = new AbortController();
    const waiting = store({ catchUpTimeoutMs: 60_000 }, silent);
    await waiting.start();
    const read = waiting.read(randomUUID(), controller.signal);
    controller.abort();
    await expect(read).rejects.toBeInstanceOf(ConnectorError);
    await expect(read).rejects.toThrow(/stopped/);
  });
});
