import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, MetricsService, SecretBox, type BlobStore, type MessageBus } from '@switchboard/common';
import { ConnectorHost, ConnectorLogger } from '@switchboard/connector-sdk';
import { GATEWAY_BUS, GATEWAY_INSTANCE_ID } from '../bus/bus.tokens';
import type { GatewayConfig } from '../gateway.config';
import { WebchatConnector } from './webchat.connector';
import type { WebchatSettings } from './webchat.manifest';
import { WEBCHAT_BLOBS } from './webchat.tokens';

/** The host's logger → Nest's logger (pino). */
class NestConnectorLogger implements ConnectorLogger {
  constructor(private readonly logger: Logger) {}
  debug(message: string, fields?: Record<string, unknown>): void {
    this.logger.debug({ ...fields }, message);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.logger.log({ ...fields }, message);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.logger.warn({ ...fields }, message);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.logger.error({ ...fields }, message);
  }
}

/**
 * Runs the WebchatConnector in a ConnectorHost on the gateway's bus for the life of the app (started
 * in the background and again with backoff while Kafka is away): web chat inboxes come and go live
 * from inbox.channels.v1, visitors' messages go to inbox.inbound.v1, replies from
 * channel.webchat.outbound.v1 go to the visitors and are reported on inbox.delivery.v1.
 */
@Injectable()
export class WebchatConnectorRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebchatConnector');
  private readonly secrets: SecretBox;
  private current: ConnectorHost<WebchatSettings> | undefined;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly connector: WebchatConnector,
    @Inject(GATEWAY_BUS) private readonly bus: MessageBus,
    @Inject(GATEWAY_INSTANCE_ID) private readonly instanceId: string,
    @Inject(WEBCHAT_BLOBS) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) config: GatewayConfig,
    private readonly metrics: MetricsService,
  ) {
    this.secrets = new SecretBox(config.SECRETS_KEY);
  }

  get ready(): boolean {
    return this.current?.ready === true;
  }

  get host(): ConnectorHost<WebchatSettings> | undefined {
    return this.current;
  }

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.current?.stop();
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.stopping.signal.aborted) {
      const host = new ConnectorHost<WebchatSettings>({
        connector: this.connector,
        bus: this.bus,
        blobs: this.blobs,
        decrypt: (secret) => this.secrets.decrypt(secret),
        logger: new NestConnectorLogger(this.logger),
        registry: this.metrics.registry,
        instanceId: this.instanceId,
      });
      this.current = host;
      try {
        await host.start();
        return;
      } catch (error) {
        this.current = undefined;
        this.logger.warn({ err: error, retryInMs: delay }, 'web chat connector host did not start; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {
            once: true,
          });
        });
        delay = Math.min(30_000, delay * 2);
      }
    }
  }
}
