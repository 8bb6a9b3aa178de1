import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { BlobStore, FsBlobStore, MetricsService, ReadinessRegistry, SecretBox } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { ConnectorHost, PinoConnectorLogger } from '@switchboard/connector-sdk';
import type { TelegramConnectorConfig } from '../telegram-connector.config';
import { TelegramConnector } from './telegram.connector';
import type { TelegramSettings } from './telegram.manifest';
import { TelegramWebhookRegistry } from './telegram-webhook.registry';

export const TELEGRAM_CONFIG = Symbol('TELEGRAM_CONFIG');
export const TELEGRAM_LOGGER = Symbol('TELEGRAM_LOGGER');

const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * Runs the TelegramConnector in a ConnectorHost on Kafka for the life of the app: every telegram
 * inbox on inbox.channels.v1 is served and added / changed / removed live; outbound messages
 * from channel.telegram.outbound.v1 are sent and answered with receipts. The host starts in the
 * background (the HTTP server — health, webhook — is up meanwhile) and is started again with
 * backoff when Kafka is not there yet; /readyz reports `telegram` down until it runs.
 */
@Injectable()
export class TelegramConnectorRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly bus: KafkaBus;
  readonly connector: TelegramConnector;
  private readonly blobs: BlobStore;
  private readonly secrets: SecretBox;
  private readonly logger: Logger;
  private current: ConnectorHost<TelegramSettings> | undefined;
  private readonly shutdown = new AbortController();
  private startLoop: Promise<void> | undefined;
  private resolveStarted!: () => void;
  /** resolves once a host runs (never when the app stops first) */
  readonly started = new Promise<void>((resolve) => (this.resolveStarted = resolve));

  constructor(
    @Inject(TELEGRAM_CONFIG) private readonly config: TelegramConnectorConfig,
    @Inject(TELEGRAM_LOGGER) logger: Logger,
    webhooks: TelegramWebhookRegistry,
    private readonly metrics: MetricsService,
    readiness: ReadinessRegistry,
  ) {
    this.logger = logger.child({ context: TelegramConnectorRuntime.name });
    this.secrets = new SecretBox(config.SECRETS_KEY);
    this.blobs = new FsBlobStore(config.BLOB_DIR);
    this.bus = new KafkaBus({
      brokers: config.KAFKA_BROKERS,
      clientId: 'telegram-connector',
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      defaultPartitions: config.KAFKA_PARTITIONS,
      logger: logger.child({ context: 'KafkaBus' }),
    });
    this.connector = new TelegramConnector(
      {
        apiRoot: config.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
        publicUrl: config.TELEGRAM_WEBHOOK_BASE_URL ?? config.PUBLIC_URL,
        pollTimeoutSeconds: config.TELEGRAM_POLL_TIMEOUT_SECONDS,
        maxAttachmentBytes: config.TELEGRAM_MAX_ATTACHMENT_BYTES,
        maxRetryAfterSeconds: config.TELEGRAM_MAX_RETRY_AFTER_SECONDS,
        webhookMaxConnections: config.TELEGRAM_WEBHOOK_MAX_CONNECTIONS,
      },
      webhooks,
    );
    readiness.register({ name: 'telegram', check: async () => this.current?.ready === true });
  }

  /** the running host (undefined while it starts) */
  get host(): ConnectorHost<TelegramSettings> | undefined {
    return this.current;
  }

  onApplicationBootstrap(): void {
    this.startLoop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    await this.startLoop;
    await this.current?.stop();
    await this.bus.close();
  }

  private async run(): Promise<void> {
    let delay = RETRY_INITIAL_MS;
    while (!this.shutdown.signal.aborted) {
      const host = this.createHost();
      this.current = host;
      try {
        await host.start();
        if (this.shutdown.signal.aborted) return;
        this.resolveStarted();
        return;
      } catch (error) {
        this.current = undefined;
        this.logger.warn({ err: error, retryInMs: delay }, 'connector host did not start; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.shutdown.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      }
    }
  }

  private createHost(): ConnectorHost<TelegramSettings> {
    return new ConnectorHost<TelegramSettings>({
      connector: this.connector,
      bus: this.bus,
      blobs: this.blobs,
      decrypt: (secret) => this.secrets.decrypt(secret),
      logger: new PinoConnectorLogger(this.logger.child({ context: 'TelegramConnector' })),
      registry: this.metrics.registry,
      ...(this.config.CONNECTOR_INSTANCE_ID ? { instanceId: this.config.CONNECTOR_INSTANCE_ID } : {}),
    });
  }
}
