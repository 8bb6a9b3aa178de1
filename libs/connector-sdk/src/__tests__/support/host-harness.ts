import { randomBytes } from 'node:crypto';
import { ChannelConfig, MessageBus, Topics } from '@switchboard/common';
import { InMemoryBus } from '@switchboard/common/bus/in-memory/in-memory-bus';
import { Registry } from 'prom-client';
import { ConnectorHost, ConnectorHostOptions } from '../../host/connector-host';
import { BusProbe } from '../../testing/bus-probe';
import { CapturingLogger } from '../../testing/capturing-logger';
import { channelConfig, ChannelConfigInput, publishChannelConfig } from '../../testing/channel-fixtures';
import { fakeDecrypt } from '../../testing/fake-secrets';
import { MemoryBlobStore } from '../../testing/memory-blob-store';
import { waitFor } from '../../testing/wait-for';
import type { EchoSettings } from '../example/echo-payload';
import { EchoConnector } from '../example/echo.connector';

export const ECHO_TOKEN = 'echo-token-5f1d9c2e-NEVER-LOG';

/** Everything one host test needs: a bus, an echo connector, its host, a probe of what the host publishes. */
export class HostHarness {
  readonly sleeps: number[] = [];
  readonly logger = new CapturingLogger();
  readonly registry = new Registry();
  readonly blobs = new MemoryBlobStore();
  private readonly hosts: Array<ConnectorHost<EchoSettings>> = [];

  private constructor(
    readonly bus: MessageBus,
    readonly connector: EchoConnector,
    readonly probe: BusProbe,
  ) {}

  static async create(
    bus: MessageBus = new InMemoryBus({ topicPrefix: `t${randomBytes(4).toString('hex')}.` }),
  ): Promise<HostHarness> {
    const probe = await BusProbe.start(bus, [Topics.inbound, Topics.delivery, Topics.dlq]);
    return new HostHarness(bus, new EchoConnector(), probe);
  }

  /** a started host for the echo connector; waits never really wait (the delays are recorded) */
  async startHost(
    overrides: Partial<ConnectorHostOptions<EchoSettings>> = {},
  ): Promise<ConnectorHost<EchoSettings>> {
    const host = new ConnectorHost<EchoSettings>({
      connector: this.connector,
      bus: this.bus,
      blobs: this.blobs,
      decrypt: fakeDecrypt,
      logger: this.logger,
      registry: this.registry,
      outboundRetry: { maxAttempts: 3, initialMs: 100, maxMs: 1000, jitter: 0 },
      startRetry: { initialMs: 100, maxMs: 1000, jitter: 0 },
      sleep: async (ms) => {
        this.sleeps.push(ms);
        await new Promise((resolve) => setImmediate(resolve));
      },
      ...overrides,
    });
    this.hosts.push(host);
    await host.start();
    return host;
  }

  config(input: Partial<ChannelConfigInput> = {}): ChannelConfig {
    return channelConfig({
      channelType: 'echo',
      version: 1,
      settings: { greeting: 'hello' },
      secrets: { apiToken: ECHO_TOKEN },
      ...input,
    });
  }

  async publishConfig(config: ChannelConfig): Promise<void> {
    await publishChannelConfig(this.bus, config);
  }

  /** waits until `host` runs `config`'s version of the inbox and returns the session */
  async running(host: ConnectorHost<EchoSettings>, config: ChannelConfig) {
    await waitFor(`inbox ${config.inboxId} v${config.version} running`, () => {
      const status = host.inbox(config.inboxId);
      return status?.state === 'running' && status.version === config.version;
    });
    const session = this.connector.sessions.get(config.inboxId);
    if (!session) throw new Error('no echo session');
    return session;
  }

  async close(): Promise<void> {
    for (const host of this.hosts) await host.stop();
    await this.probe.stop();
    await this.bus.close();
  }
}
