import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { MessageBus, MetricsService, ReadinessRegistry } from '@switchboard/common';
import { MESSAGE_BUS } from '@switchboard/common/bus/nest/bus.constants';
import { abortableSleep, BackoffPolicy, backoffDelay } from './backoff';
import { ConnectorHost, ConnectorHostOptions } from './connector-host';

/** Token of the ConnectorHostModule's options. */
export const CONNECTOR_HOST_OPTIONS = Symbol('CONNECTOR_HOST_OPTIONS');

export interface ConnectorHostModuleOptions<Settings = unknown> extends Omit<
  ConnectorHostOptions<Settings>,
  'bus'
> {
  /** the bus to run on (default: the app's MESSAGE_BUS, from BusModule) */
  bus?: MessageBus;
  /**
   * how often a host whose start() failed (the broker is not there yet) is built and started
   * again (default 1 s doubling to 30 s); the app keeps serving /healthz meanwhile
   */
  hostStartRetry?: BackoffPolicy;
}

/**
 * Runs the module's ConnectorHost for the life of the Nest app, on the given bus or the app's
 * MESSAGE_BUS (BusModule, which closes it after this service stopped the host): built and started in the
 * background at bootstrap (again with backoff while start() fails), stopped first thing at
 * shutdown (onModuleDestroy, before modules that own the bus close it). Registers its metrics on
 * the app's MetricsService registry and a `connector-<id>` readiness check (up once the host runs
 * and has read its offsets) when HealthModule is present.
 */
@Injectable()
export class ConnectorHostService<Settings = unknown> implements OnApplicationBootstrap, OnModuleDestroy {
  private current: ConnectorHost<Settings> | undefined;
  private loop: Promise<void> | undefined;
  private readonly closing = new AbortController();
  private resolveStarted!: (host: ConnectorHost<Settings>) => void;
  /** resolves with the host once one runs (never if the app stops first) */
  readonly started = new Promise<ConnectorHost<Settings>>((resolve) => (this.resolveStarted = resolve));

  constructor(
    @Inject(CONNECTOR_HOST_OPTIONS) private readonly options: ConnectorHostModuleOptions<Settings>,
    @Optional() @Inject(MESSAGE_BUS) private readonly appBus?: MessageBus,
    @Optional() private readonly metrics?: MetricsService,
    @Optional() readiness?: ReadinessRegistry,
  ) {
    if (!options.bus && !appBus) {
      throw new Error('ConnectorHostModule needs a bus: pass `bus` or import BusModule (MESSAGE_BUS)');
    }
    readiness?.register({
      name: `connector-${options.connector.manifest.id}`,
      check: async () => this.current?.ready === true,
    });
  }

  /** the host that runs (or is starting) now */
  get host(): ConnectorHost<Settings> | undefined {
    return this.current;
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.closing.abort();
    await this.loop;
    await this.current?.stop();
  }

  private async run(): Promise<void> {
    const policy = this.options.hostStartRetry ?? { initialMs: 1000, maxMs: 30_000 };
    for (let attempt = 1; !this.closing.signal.aborted; attempt++) {
      const bus = (this.options.bus ?? this.appBus) as MessageBus;
      const host = new ConnectorHost<Settings>({ registry: this.metrics?.registry, ...this.options, bus });
      this.current = host;
      try {
        await host.start();
        this.resolveStarted(host);
        return;
      } catch (error) {
        this.current = undefined;
        const delayMs = backoffDelay(attempt, policy);
        this.options.logger?.warn('connector host did not start; retrying', {
          error: String(error),
          attempt,
          delayMs,
        });
        await (this.options.sleep ?? abortableSleep)(delayMs, this.closing.signal);
      }
    }
  }
}
