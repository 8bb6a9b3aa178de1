import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { Global, Module } from '@nestjs/common';
import { HealthModule, MessageBus, ReadinessRegistry, Topics } from '@switchboard/common';
import { InMemoryBus } from '@switchboard/common/bus/in-memory/in-memory-bus';
import { MESSAGE_BUS } from '@switchboard/common/bus/nest/bus.constants';
import { ConnectorHostModule } from '../host/connector-host.module';
import { ConnectorHostService } from '../host/connector-host.service';
import { channelConfig, publishChannelConfig } from '../testing/channel-fixtures';
import { fakeDecrypt } from '../testing/fake-secrets';
import { MemoryBlobStore } from '../testing/memory-blob-store';
import { waitFor } from '../testing/wait-for';
import { EchoConnector } from './example/echo.connector';

const CONFIG = Symbol('CONFIG');

/** stands in for BusModule: the app's bus under MESSAGE_BUS */
@Global()
@Module({})
class AppBusModule {
  static with(bus: MessageBus) {
    return {
      module: AppBusModule,
      providers: [{ provide: MESSAGE_BUS, useValue: bus }],
      exports: [MESSAGE_BUS],
    };
  }
}

describe(ConnectorHostModule.name, () => {
  let bus: InMemoryBus;

  beforeEach(() => {
    bus = new InMemoryBus({ topicPrefix: `m${randomBytes(4).toString('hex')}.` });
  });

  afterEach(async () => {
    await bus.close();
  });

  it('starts the connector host on the app bus, reports readiness, and stops its sessions when the app closes', async () => {
    const connector = new EchoConnector();
    const moduleRef = await Test.createTestingModule({
      imports: [
        HealthModule.forRoot(),
        AppBusModule.with(bus),
        ConnectorHostModule.forRootAsync({
          imports: [
            {
              module: class ConfigModule {},
              providers: [{ provide: CONFIG, useValue: 'x' }],
              exports: [CONFIG],
            },
          ],
          inject: [CONFIG],
          useFactory: () => ({ connector, blobs: new MemoryBlobStore(), decrypt: fakeDecrypt }),
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    const sut = app.get(ConnectorHostService);
    const host = await sut.started;

    const config = channelConfig({
      channelType: 'echo',
      version: 1,
      settings: { greeting: 'hi' },
      secrets: { apiToken: 't0ken' },
    });
    await publishChannelConfig(bus, config);
    await waitFor('running inbox', () => host.inbox(config.inboxId)?.state === 'running');
    const readiness = await app.get(ReadinessRegistry).run();
    expect(readiness.checks['connector-echo']).toMatchObject({ status: 'up' });

    await app.close();

    expect(connector.sessions.get(config.inboxId)?.stopped).toBe(true);
    expect(host.ready).toBe(false);
    // the bus belongs to whoever provided it: still open
    await expect(bus.publish(Topics.inbound, [{ key: 'k', value: 'v' }])).resolves.toBeUndefined();
  });

  it('refuses to build without a bus', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        ConnectorHostModule.forRoot({
          connector: new EchoConnector(),
          blobs: new MemoryBlobStore(),
          decrypt: fakeDecrypt,
        }),
      ],
    }).compile();
    await expect(compiling).rejects.toThrow(/needs a bus/);
  });

  it('retries building the host while start() fails', async () => {
    const connector = new EchoConnector();
    const sleeps: number[] = [];
    let refusals = 2;
    const flaky: MessageBus = {
      ensureTopics: async (specs) => {
        if (refusals-- > 0) throw new Error('broker not available');
        return bus.ensureTopics(specs);
      },
      publish: (topic, messages) => bus.publish(topic, messages),
      subscribe: (options) => bus.subscribe(options),
      ping: () => bus.ping(),
      close: () => bus.close(),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConnectorHostModule.forRoot({
          connector,
          bus: flaky,
          blobs: new MemoryBlobStore(),
          decrypt: fakeDecrypt,
          hostStartRetry: { initialMs: 10, maxMs: 40, jitter: 0 },
          sleep: async (ms) => {
            sleeps.push(ms);
          },
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();

    const host = await app.get(ConnectorHostService).started;

    expect(sleeps).toEqual([10, 20]);
    expect(app.get(ConnectorHostService).host).toBe(host);
    await app.close();
  });
});
