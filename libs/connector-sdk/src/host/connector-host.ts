import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  BlobStore,
  BusMessage,
  CHANNEL_CONFIG_TYPE,
  ChannelConfig,
  CompactedTopics,
  decodeEvent,
  EncryptedSecret,
  isTombstone,
  MessageBus,
  outboundTopic,
  Subscription,
  Topics,
} from '@switchboard/common';
import type { Registry } from 'prom-client';
import type { ChannelConnector, ConnectorLogger, InboxRuntimeConfig, InboxState } from '../connector';
import { ConnectorError } from '../errors';
import { abortableSleep, BackoffPolicy, Sleep } from './backoff';
import { ConnectorMetrics } from './connector-metrics';
import { ConnectorOffsetStore } from './connector-offset-store';
import { describeIssues } from './event-codec';
import { HostInboxContext, InboxContextShared, publishChannelStatus } from './host-inbox-context';
import { InboxRunner, InboxRunSnapshot } from './inbox-runner';
import { MaskingLogger } from './masking-logger';
import { DEFAULT_OUTBOUND_RETRY, OutboundDispatcher, OutboundRetryPolicy } from './outbound-dispatcher';
import { SecretMasker } from './secret-masker';
import { SentMessageCache } from './sent-message-cache';

export interface ConnectorHostOptions<Settings = unknown> {
  connector: ChannelConnector<Settings>;
  bus: MessageBus;
  blobs: BlobStore;
  /** decrypts a channel secret (libs/common SecretBox.decrypt fits) */
  decrypt(secret: EncryptedSecret): string | Promise<string>;
  /** where the host and its inboxes log; every line is masked (default: silent) */
  logger?: ConnectorLogger;
  /**
   * names this instance (e.g. the pod name) in logs and in its own consumer groups
   * (`<connectorId>-channels-<instanceId>-<run>`, `<connectorId>-offsets-<instanceId>-<run>`).
   * A random `<run>` suffix is always added: those groups must replay their compacted topics
   * from the beginning on every start, which a group with committed offsets would not do.
   * Default: hostname and pid.
   */
  instanceId?: string;
  /** the app's Prometheus registry (default: a private one, see `metrics.registry`) */
  registry?: Registry;
  /** outbound retries (defaults: DEFAULT_OUTBOUND_RETRY) */
  outboundRetry?: Partial<OutboundRetryPolicy>;
  /** retries of a session start that failed with TEMPORARY / RATE_LIMITED (default 1 s → 60 s) */
  startRetry?: BackoffPolicy;
  /** outbound partitions handled at once by this instance (default 4) */
  outboundConcurrency?: number;
  /** outbound messageIds remembered to skip duplicates (default 10 000) */
  sentCacheSize?: number;
  /** longest a session's stop() may take (default 30 s) */
  stopTimeoutMs?: number;
  /** largest partition count of connector.offsets.v1 the offsets reader's barrier covers (default 64) */
  offsetsMaxPartitions?: number;
  /** create the topics the host uses when missing (default true) */
  ensureTopics?: boolean;
  /** the wait used between retries (tests record the delays instead of waiting) */
  sleep?: Sleep;
}

const silentLogger: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Runs one ChannelConnector against the bus (STYLE.md, "Connectors"):
 *
 * - channel configs: every instance replays the compacted topic inbox.channels.v1 from the
 *   beginning with a consumer group of its own, so each one sees all inboxes of its channel
 *   type. A config newer than the last one seen is validated against the manifest's
 *   settingsSchema, its secrets are decrypted, and the inbox's session is started, restarted or
 *   stopped (disabled / deleted / tombstone) live. Invalid settings or undecryptable secrets
 *   report `error` for the inbox; nothing crashes.
 * - inbound: each session gets a HostInboxContext (emit → inbox.inbound.v1, deadLetter → DLQ,
 *   offsets in connector.offsets.v1, reportStatus → inbox.delivery.v1, a masking logger, a signal).
 * - outbound: the instances of one connector share the group `<connectorId>-outbound` on
 *   channel.<type>.outbound.v1 (the work is split by partition); see OutboundDispatcher.
 * - every decrypted secret is masked in logs, receipts, status reasons and dead letters.
 *
 * Inbound ownership: every instance runs a session for every inbox (any of them can send). For
 * polling sources that means each instance reads the source; the inbox dedupes on
 * (inbox, externalId), but sources that allow one reader only (Telegram getUpdates) need a
 * single instance.
 */
export class ConnectorHost<Settings = unknown> {
  readonly instanceId: string;
  /** `<instanceId>-<random>`: what the per-instance consumer groups are named after */
  readonly runId: string;
  readonly metrics: ConnectorMetrics;
  private readonly connector: ChannelConnector<Settings>;
  private readonly connectorId: string;
  private readonly channelType: string;
  private readonly source: string;
  private readonly masker = new SecretMasker();
  private readonly logger: MaskingLogger;
  private readonly offsets: ConnectorOffsetStore;
  private readonly shared: InboxContextShared;
  private readonly runners = new Map<string, InboxRunner<Settings>>();
  /** latest config version seen per inbox (also for inboxes not, or no longer, running) */
  private readonly versions = new Map<string, number>();
  private readonly dispatcher: OutboundDispatcher;
  private readonly stopping = new AbortController();
  private readonly sleep: Sleep;
  private subscriptions: Subscription[] = [];
  private state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: ConnectorHostOptions<Settings>) {
    const { manifest } = options.connector;
    outboundTopic(manifest.channelType); // throws on a channel type that cannot name a topic
    if (!/^[a-z][a-z0-9-]*$/.test(manifest.id))
      throw new Error(`invalid connector id ${JSON.stringify(manifest.id)}`);
    this.connector = options.connector;
    this.connectorId = manifest.id;
    this.channelType = manifest.channelType;
    this.source = `connector/${manifest.id}`;
    this.instanceId = options.instanceId ?? `${hostname()}-${process.pid}`;
    this.runId = `${this.instanceId}-${randomBytes(4).toString('hex')}`;
    this.sleep = options.sleep ?? abortableSleep;
    this.logger = new MaskingLogger(options.logger ?? silentLogger, this.masker, { connector: manifest.id });
    this.metrics = new ConnectorMetrics(manifest.id, manifest.channelType, options.registry);
    this.offsets = new ConnectorOffsetStore({
      bus: options.bus,
      connectorId: manifest.id,
      instanceId: this.runId,
      source: this.source,
      logger: this.logger,
      maxPartitions: options.offsetsMaxPartitions,
    });
    this.shared = {
      bus: options.bus,
      blobs: options.blobs,
      connectorId: manifest.id,
      channelType: manifest.channelType,
      source: this.source,
      offsets: this.offsets,
      masker: this.masker,
      metrics: this.metrics,
    };
    this.dispatcher = new OutboundDispatcher({
      bus: options.bus,
      connectorId: manifest.id,
      channelType: manifest.channelType,
      source: this.source,
      sessionOf: (inboxId) => this.runners.get(inboxId)?.session,
      unavailable: (inboxId) => this.unavailable(inboxId),
      reportStatus: (inboxId, state, reason) => this.reportStatus(inboxId, state, reason),
      classify: (error) => this.classify(error),
      sent: new SentMessageCache(options.sentCacheSize),
      masker: this.masker,
      metrics: this.metrics,
      logger: this.logger.child({ role: 'outbound' }),
      retry: { ...DEFAULT_OUTBOUND_RETRY, ...options.outboundRetry },
      sleep: this.sleep,
      stopping: this.stopping.signal,
    });
  }

  /** creates the topics (unless told not to) and starts the three consumers; resolves once subscribed */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`ConnectorHost ${this.connectorId} cannot start twice`);
    this.state = 'starting';
    const { bus } = this.options;
    try {
      if (this.options.ensureTopics ?? true) {
        const topics = [
          Topics.channels,
          Topics.connectorOffsets,
          Topics.inbound,
          Topics.delivery,
          Topics.dlq,
          outboundTopic(this.channelType),
        ];
        await bus.ensureTopics(
          topics.map((topic) => ({ topic, compacted: CompactedTopics.includes(topic) })),
        );
      }
      await this.offsets.start();
      this.subscriptions.push(
        await bus.subscribe({
          groupId: `${this.connectorId}-channels-${this.runId}`,
          topics: [Topics.channels],
          fromBeginning: true,
          eachMessage: async (message) => this.onChannelRecord(message),
        }),
      );
      this.subscriptions.push(
        await bus.subscribe({
          groupId: `${this.connectorId}-outbound`,
          topics: [outboundTopic(this.channelType)],
          fromBeginning: true,
          partitionsConsumedConcurrently: this.options.outboundConcurrency ?? 4,
          eachMessage: async (message) => this.dispatcher.handle(message),
        }),
      );
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.state = 'started';
    this.logger.info('connector host started', {
      instanceId: this.instanceId,
      runId: this.runId,
      channelType: this.channelType,
    });
  }

  /** stops the outbound consumer (a retry wait ends at once), the config consumer, every session, the offsets reader */
  stop(): Promise<void> {
    this.stopped ??= this.shutdown();
    return this.stopped;
  }

  /** the state of every inbox of this channel type this instance has seen */
  inboxes(): InboxRunSnapshot[] {
    return [...this.runners.values()].map((runner) => runner.status);
  }

  inbox(inboxId: string): InboxRunSnapshot | undefined {
    return this.runners.get(inboxId)?.status;
  }

  /** true once started and the offsets reader has caught up (a readiness probe) */
  get ready(): boolean {
    return this.state === 'started' && this.offsets.isCaughtUp;
  }

  /** resolves when no inbox has a start, restart or stop pending or in progress */
  async settled(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.settled()));
  }

  private async shutdown(): Promise<void> {
    this.state = 'stopping';
    this.stopping.abort();
    const subscriptions = this.subscriptions.reverse();
    this.subscriptions = [];
    for (const subscription of subscriptions) {
      await subscription
        .stop()
        .catch((error: unknown) => this.logger.warn('consumer did not stop cleanly', { error }));
    }
    await Promise.all([...this.runners.values()].map((runner) => runner.shutdown()));
    await this.offsets
      .stop()
      .catch((error: unknown) => this.logger.warn('offsets reader did not stop cleanly', { error }));
    this.state = 'stopped';
    this.logger.info('connector host stopped', { instanceId: this.instanceId });
  }

  private async onChannelRecord(message: BusMessage): Promise<void> {
    if (isTombstone(message)) {
      // the inbox is gone for good (a recreated inbox gets a new id)
      this.versions.delete(message.key);
      this.runners.get(message.key)?.remove(this.runners.get(message.key)?.status.version ?? -1, false);
      return;
    }
    let config: ChannelConfig;
    try {
      config = decodeEvent(message, [CHANNEL_CONFIG_TYPE]).data;
    } catch (error) {
      // Not dead-lettered: this group replays the topic on every start of every instance of
      // every connector, which would copy the record to the DLQ again each time.
      this.logger.error('skipping an unreadable channel config record', {
        key: message.key,
        offset: message.offset,
        error,
      });
      return;
    }
    if (config.channelType !== this.channelType) {
      // an inbox that moved to another channel type is no longer ours
      if (this.runners.has(config.inboxId)) this.removeInbox(config.inboxId, config.version, false);
      return;
    }
    const seen = this.versions.get(config.inboxId);
    if (seen !== undefined && config.version <= seen) return;
    this.versions.set(config.inboxId, config.version);
    if (config.deleted || !config.enabled) {
      this.removeInbox(config.inboxId, config.version, !config.deleted);
      return;
    }
    this.runnerFor(config.inboxId).apply(config);
  }

  private removeInbox(inboxId: string, version: number, reportStopped: boolean): void {
    this.runners.get(inboxId)?.remove(version, reportStopped);
  }

  private runnerFor(inboxId: string): InboxRunner<Settings> {
    let runner = this.runners.get(inboxId);
    if (!runner) {
      const logger = this.logger.child({ inboxId });
      runner = new InboxRunner<Settings>({
        inboxId,
        connector: this.connector,
        prepare: (config) => this.prepare(config),
        createContext: (signal) => new HostInboxContext(inboxId, logger, signal, this.shared),
        reportStatus: (state, reason) => this.reportStatus(inboxId, state, reason),
        classify: (error) => this.classify(error),
        logger,
        startRetry: this.options.startRetry ?? { initialMs: 1000, maxMs: 60_000 },
        stopTimeoutMs: this.options.stopTimeoutMs ?? 30_000,
        sleep: this.sleep,
        onStateChange: () => this.updateStateGauge(),
      });
      this.runners.set(inboxId, runner);
    }
    return runner;
  }

  /** settings validated by the manifest's schema, secrets decrypted (and registered for masking first) */
  private async prepare(config: ChannelConfig): Promise<InboxRuntimeConfig<Settings>> {
    const secrets: Record<string, string> = {};
    for (const [name, encrypted] of Object.entries(config.secrets)) {
      try {
        secrets[name] = await this.options.decrypt(encrypted);
      } catch (error) {
        throw new ConnectorError(
          'UNSUPPORTED',
          `secret ${name} cannot be decrypted (is SECRETS_KEY the inbox service's?)`,
          { cause: error },
        );
      }
      this.masker.add([secrets[name]]);
    }
    const settings = this.connector.manifest.settingsSchema.safeParse(config.settings);
    if (!settings.success) {
      throw new ConnectorError(
        'INVALID_PAYLOAD',
        `invalid settings: ${describeIssues(settings.error.issues)}`,
      );
    }
    return {
      inboxId: config.inboxId,
      name: config.name,
      version: config.version,
      settings: settings.data,
      secrets,
    };
  }

  private async reportStatus(inboxId: string, state: InboxState, reason?: string): Promise<void> {
    try {
      await publishChannelStatus(this.shared, inboxId, state, reason);
    } catch (error) {
      this.logger.error('could not publish the inbox status', { inboxId, state, error });
    }
  }

  /** why outbound messages of `inboxId` cannot be sent now (see OutboundDispatcherDeps.unavailable) */
  private unavailable(inboxId: string): ConnectorError {
    const status = this.runners.get(inboxId)?.status;
    const why = status?.reason ? `: ${status.reason}` : '';
    switch (status?.state) {
      case 'needs_credentials':
        return new ConnectorError('AUTH_INVALID', `inbox ${inboxId} needs new credentials${why}`);
      case 'error':
        return new ConnectorError(
          'UNSUPPORTED',
          `inbox ${inboxId} cannot run with its current configuration${why}`,
        );
      case 'stopped':
        return new ConnectorError('PERMISSION', `inbox ${inboxId} is disabled or deleted`);
      default:
        return new ConnectorError(
          'TEMPORARY',
          `inbox ${inboxId} is not running in connector ${this.connectorId} (yet)`,
        );
    }
  }

  /** a ConnectorError as is; anything else through the connector's classifyError (TEMPORARY if that throws) */
  private classify(error: unknown): ConnectorError {
    if (ConnectorError.is(error)) return error;
    try {
      const classified = this.connector.classifyError(error);
      if (ConnectorError.is(classified)) return classified;
    } catch (classifyFailure) {
      this.logger.error('classifyError threw', { error: classifyFailure });
    }
    return new ConnectorError('TEMPORARY', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }

  private updateStateGauge(): void {
    const counts: Record<string, number> = {
      starting: 0,
      running: 0,
      retrying: 0,
      needs_credentials: 0,
      error: 0,
      stopped: 0,
    };
    for (const runner of this.runners.values()) counts[runner.status.state] += 1;
    this.metrics.inboxStates(counts);
  }
}
