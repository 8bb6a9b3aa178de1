import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { HttpErrorFilter, SecretBox } from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { ChannelConnector, ConnectorHost, ConnectorLogger, InboxContext, InboxRuntimeConfig } from '@switchboard/connector-sdk';
import { kafkaBrokers } from '@switchboard/testing';
import { TelegramConnector, TelegramConnectorOptions } from '../../telegram.connector';
import type { TelegramSettings } from '../../telegram.manifest';
import type { TelegramInboxSession } from '../../telegram-inbox.session';
import { TelegramWebhookController } from '../../telegram-webhook.controller';
import { TelegramWebhookRegistry } from '../../telegram-webhook.registry';
import type { TelegramTestEnvironment } from './telegram-test-environment';

/** Holds emits back (the connector received an update but Kafka has not acknowledged it). */
export class EmitGate {
  private closed = false;
  private readonly waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  held = 0;

  close(): void {
    this.closed = true;
  }

  async pass(): Promise<void> {
    if (!this.closed) return;
    this.held += 1;
    await new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** the process dies: whatever was held is never acknowledged */
  failAll(): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('the connector process was killed'));
  }
}

/** A TelegramConnector whose sessions emit through a gate (the test decides when Kafka "acknowledges"). */
class GatedTelegramConnector implements ChannelConnector<TelegramSettings, unknown> {
  readonly manifest;

  constructor(
    private readonly inner: TelegramConnector,
    private readonly gate: EmitGate,
  ) {
    this.manifest = inner.manifest;
  }

  start(config: InboxRuntimeConfig<TelegramSettings>, context: InboxContext): Promise<TelegramInboxSession> {
    const gate = this.gate;
    const gated = new Proxy(context, {
      get(target, property) {
        if (property === 'emit') return async (messages: Parameters<InboxContext['emit']>[0]) => (await gate.pass(), target.emit(messages));
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    return this.inner.start(config, gated);
  }

  normalize(raw: unknown, config: InboxRuntimeConfig<TelegramSettings>, blobs: Parameters<TelegramConnector['normalize']>[2]) {
    return this.inner.normalize(raw, config, blobs);
  }

  classifyError(error: unknown) {
    return this.inner.classifyError(error);
  }
}

const quiet: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };

export interface ConnectorProcessOptions {
  port: number;
  gate?: EmitGate;
  connector?: Partial<TelegramConnectorOptions>;
  logger?: ConnectorLogger;
}

/**
 * One telegram-connector "process": its own Kafka client, a ConnectorHost running the
 * TelegramConnector, and the real webhook controller (with the app's error filter) listening on
 * `port`. `kill()` is a crash: connections are cut and nothing held is acknowledged.
 */
export class ConnectorProcess {
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly host: ConnectorHost<TelegramSettings>,
    readonly bus: KafkaBus,
    readonly app: INestApplication,
    private readonly gate: EmitGate | undefined,
  ) {
    const server = app.getHttpServer() as Server;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(env: TelegramTestEnvironment, options: ConnectorProcessOptions): Promise<ConnectorProcess> {
    const registry = new TelegramWebhookRegistry();
    const connector = new TelegramConnector(
      {
        apiRoot: env.api.apiRoot,
        publicUrl: `http://127.0.0.1:${options.port}`,
        pollTimeoutSeconds: 2,
        maxAttachmentBytes: 20 * 1024 * 1024,
        maxRetryAfterSeconds: 5,
        webhookMaxConnections: 40,
        ...options.connector,
      },
      registry,
    );
    @Module({ controllers: [TelegramWebhookController], providers: [{ provide: TelegramWebhookRegistry, useValue: registry }] })
    class WebhookOnlyModule {}
    const app = await NestFactory.create(WebhookOnlyModule, { logger: false });
    app.useGlobalFilters(new HttpErrorFilter());
    await app.listen(options.port, '127.0.0.1');
    const bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'telegram-connector-test', topicPrefix: env.topicPrefix, defaultPartitions: 3 });
    const secretBox = new SecretBox(env.secretsKey);
    const host = new ConnectorHost<TelegramSettings>({
      connector: options.gate ? new GatedTelegramConnector(connector, options.gate) : connector,
      bus,
      blobs: env.blobs,
      decrypt: (secret) => secretBox.decrypt(secret),
      logger: options.logger ?? quiet,
      instanceId: `test-${randomUUID()}`,
      outboundRetry: { maxAttempts: 3, initialMs: 100, maxMs: 1000 },
      startRetry: { initialMs: 200, maxMs: 2000 },
      stopTimeoutMs: 10_000,
    });
    const started = new ConnectorProcess(host, bus, app, options.gate);
    await host.start();
    return started;
  }

  /** waits until the inbox's session runs this config version */
  async running(inboxId: string, version: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.host.inbox(inboxId);
      if (status && status.version === version && status.state === 'running') return;
      if (Date.now() > deadline) throw new Error(`inbox ${inboxId} not running v${version}: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** a crash: HTTP connections cut, the held emits never acknowledged, the consumers gone */
  async kill(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.gate?.failAll();
    await this.app.close();
    await this.host.stop();
    await this.bus.close();
  }

  async stop(): Promise<void> {
    await this.host.stop();
    await this.app.close();
    await this.bus.close();
  }
}
