import { randomUUID } from 'node:crypto';
import type { ChannelConfig } from '@switchboard/common';
import type { ChannelConnector, InboxContext, InboxSession, InboxState } from '../../connector';
import { ConnectorError } from '../../errors';
import { CapturingLogger } from '../../testing/capturing-logger';
import { waitFor } from '../../testing/wait-for';
import { InboxRunner } from '../inbox-runner';
import { EchoConnector } from '../../__tests__/example/echo.connector';

function config(version: number): ChannelConfig {
  return {
    inboxId: INBOX,
    channelType: 'echo',
    name: 'n',
    enabled: true,
    deleted: false,
    version,
    settings: {},
    secrets: {},
    updatedAt: new Date().toISOString(),
  };
}
const INBOX = randomUUID();

describe(InboxRunner.name, () => {
  const statuses: Array<[InboxState, string | undefined]> = [];
  const signals: AbortSignal[] = [];
  const connector = new EchoConnector();
  const sessions: Array<InboxSession & { stopped: boolean }> = [];
  let gate: Promise<void> = Promise.resolve();

  const slowConnector: ChannelConnector<{ version: number }> = {
    manifest: {
      ...connector.manifest,
      settingsSchema: connector.manifest.settingsSchema.transform(() => ({ version: 0 })),
    },
    normalize: async () => [],
    classifyError: (error) => connector.classifyError(error),
    start: async (_config, context) => {
      signals.push(context.signal);
      await gate;
      const session = {
        stopped: false,
        send: async () => ({ externalId: 'x' }),
        stop: async () => void (session.stopped = true),
      };
      sessions.push(session);
      return session;
    },
  };

  const sut = () =>
    new InboxRunner<{ version: number }>({
      inboxId: INBOX,
      connector: slowConnector,
      prepare: async (c) => ({
        inboxId: c.inboxId,
        name: c.name,
        version: c.version,
        settings: { version: c.version },
        secrets: {},
      }),
      createContext: (signal) => ({ signal }) as InboxContext,
      reportStatus: async (state, reason) => void statuses.push([state, reason]),
      classify: (error) =>
        ConnectorError.is(error) ? error : new ConnectorError('TEMPORARY', String(error)),
      logger: new CapturingLogger(),
      startRetry: { initialMs: 1, maxMs: 1 },
      stopTimeoutMs: 1000,
      sleep: async () => undefined,
      onStateChange: () => undefined,
    });

  beforeEach(() => {
    statuses.length = 0;
    signals.length = 0;
    sessions.length = 0;
    gate = Promise.resolve();
  });

  it('applies the newest config when one arrives during a slow start, aborting and stopping the stale session', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const runner = sut();
    runner.apply(config(1));
    await waitFor('first start', () => signals.length === 1);
    runner.apply(config(2));
    runner.apply(config(3));
    expect(signals[0].aborted).toBe(true);

    open();
    await runner.settled();

    expect(runner.status).toMatchObject({ state: 'running', version: 3 });
    expect(sessions).toHaveLength(2);
    expect(sessions[0].stopped).toBe(true);
    expect(sessions[1].stopped).toBe(false);
    expect(statuses).toEqual([['running', undefined]]);
  });

  it('stops without reporting on shutdown, and ignores changes afterwards', async () => {
    const runner = sut();
    runner.apply(config(1));
    await runner.settled();

    await runner.shutdown();
    runner.apply(config(2));
    await runner.settled();

    expect(sessions[0].stopped).toBe(true);
    expect(runner.session).toBeUndefined();
    expect(statuses).toEqual([['running', undefined]]);
  });
});
