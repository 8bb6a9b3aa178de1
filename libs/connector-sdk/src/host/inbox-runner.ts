import type { ChannelConfig } from '@switchboard/common';
import type {
  ChannelConnector,
  ConnectorLogger,
  InboxContext,
  InboxRuntimeConfig,
  InboxSession,
  InboxState,
} from '../connector';
import { ConnectorError } from '../errors';
import { BackoffPolicy, backoffDelay, Sleep } from './backoff';

/** Where one inbox stands in this host instance. */
export type InboxRunState = 'starting' | 'running' | 'retrying' | 'needs_credentials' | 'error' | 'stopped';

export interface InboxRunSnapshot {
  inboxId: string;
  /** the version of the channel config this state is about */
  version: number;
  state: InboxRunState;
  reason?: string;
}

export interface InboxRunnerDeps<Settings> {
  inboxId: string;
  connector: ChannelConnector<Settings>;
  /** validates settings and decrypts secrets; throws ConnectorError (state error / needs_credentials) */
  prepare(config: ChannelConfig): Promise<InboxRuntimeConfig<Settings>>;
  createContext(signal: AbortSignal): InboxContext;
  /** publishes the inbox's status; never throws */
  reportStatus(state: InboxState, reason?: string): Promise<void>;
  /** turns anything thrown by the connector into a ConnectorError */
  classify(error: unknown): ConnectorError;
  logger: ConnectorLogger;
  startRetry: BackoffPolicy;
  /** longest a session's stop() may take before the runner moves on */
  stopTimeoutMs: number;
  sleep: Sleep;
  onStateChange(): void;
}

type Target =
  { kind: 'config'; config: ChannelConfig } | { kind: 'remove'; reportStopped: boolean; version: number };

interface Running {
  session: InboxSession;
  controller: AbortController;
}

/**
 * One inbox's lifecycle in the host: start, restart on a new config version, stop on disable or
 * delete, all serialized (a change that arrives while a start is in progress is applied right
 * after it; intermediate versions are skipped). A start that fails with TEMPORARY or
 * RATE_LIMITED is retried with backoff until it succeeds or the config changes; AUTH_INVALID
 * leaves the inbox in needs_credentials until a new config arrives; any other failure leaves it
 * in error. The session's signal is aborted before its stop() is called.
 */
export class InboxRunner<Settings = unknown> {
  private target: Target | undefined;
  private running: Running | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** the signal of a start in progress, aborted when it is superseded or the host stops */
  private starting: AbortController | undefined;
  private closed = false;
  private snapshot: InboxRunSnapshot;

  constructor(private readonly deps: InboxRunnerDeps<Settings>) {
    this.snapshot = { inboxId: deps.inboxId, version: -1, state: 'stopped' };
  }

  get status(): InboxRunSnapshot {
    return { ...this.snapshot };
  }

  /** the session, when the inbox is running */
  get session(): InboxSession | undefined {
    return this.snapshot.state === 'running' ? this.running?.session : undefined;
  }

  /** serve this config (replacing whatever runs now) */
  apply(config: ChannelConfig): void {
    if (this.closed) return;
    this.setState(config.version, 'starting');
    this.schedule({ kind: 'config', config });
  }

  /** stop serving the inbox; reports `stopped` when asked (disabled, as opposed to deleted) */
  remove(version: number, reportStopped: boolean): void {
    this.schedule({ kind: 'remove', reportStopped, version });
  }

  /** resolves when no change is pending or in progress */
  async settled(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /** host shutdown: stops the session without reporting anything (another instance may carry on) */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.target = undefined;
    this.wake?.();
    this.starting?.abort();
    await this.settled();
    await this.stopRunning();
  }

  private schedule(target: Target): void {
    if (this.closed) return;
    this.target = target;
    this.wake?.();
    this.starting?.abort();
    if (!this.loop) {
      this.loop = this.reconcile().finally(() => {
        this.loop = undefined;
      });
    }
  }

  private async reconcile(): Promise<void> {
    while (!this.closed && this.target) {
      const target = this.target;
      this.target = undefined;
      await this.stopRunning();
      if (target.kind === 'remove') {
        this.setState(target.version, 'stopped');
        if (target.reportStopped) await this.deps.reportStatus('stopped');
        continue;
      }
      await this.startWithRetries(target.config);
    }
  }

  private async startWithRetries(config: ChannelConfig): Promise<void> {
    const { deps } = this;
    let runtime: InboxRuntimeConfig<Settings>;
    try {
      runtime = await deps.prepare(config);
    } catch (error) {
      const failure = deps.classify(error);
      const state = failure.code === 'AUTH_INVALID' ? 'needs_credentials' : 'error';
      this.setState(config.version, state, failure.message);
      deps.logger.warn('inbox config rejected', {
        version: config.version,
        code: failure.code,
        reason: failure.message,
      });
      await deps.reportStatus(state, failure.message);
      return;
    }
    for (let attempt = 1; !this.closed && !this.target; attempt++) {
      this.setState(config.version, 'starting');
      const controller = new AbortController();
      this.starting = controller;
      try {
        const session = await deps.connector.start(runtime, deps.createContext(controller.signal));
        this.running = { session, controller };
        if (this.closed || this.target) return; // superseded while starting: the loop stops it next
        this.setState(config.version, 'running');
        deps.logger.info('inbox running', { version: config.version });
        await deps.reportStatus('running');
        return;
      } catch (error) {
        if (controller.signal.aborted) return; // superseded or shutting down: nothing to report
        controller.abort();
        const failure = deps.classify(error);
        if (!failure.retryable) {
          const state = failure.code === 'AUTH_INVALID' ? 'needs_credentials' : 'error';
          this.setState(config.version, state, failure.message);
          deps.logger.warn('inbox failed to start', {
            version: config.version,
            code: failure.code,
            error: failure,
          });
          await deps.reportStatus(state, failure.message);
          return;
        }
        const delay = failure.options.retryAfterMs ?? backoffDelay(attempt, deps.startRetry);
        this.setState(config.version, 'retrying', failure.message);
        deps.logger.warn('inbox failed to start, retrying', {
          version: config.version,
          code: failure.code,
          attempt,
          delayMs: delay,
          error: failure,
        });
        if (attempt === 1) await deps.reportStatus('error', `${failure.message} (retrying)`);
        await this.sleepUntilWoken(delay);
      } finally {
        if (this.starting === controller) this.starting = undefined;
      }
    }
  }

  private async sleepUntilWoken(ms: number): Promise<void> {
    const controller = new AbortController();
    this.wake = () => controller.abort();
    try {
      await this.deps.sleep(ms, controller.signal);
    } finally {
      this.wake = undefined;
    }
  }

  private async stopRunning(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    running.controller.abort();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        running.session.stop(),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`session stop took longer than ${this.deps.stopTimeoutMs} ms`)),
            this.deps.stopTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      this.deps.logger.warn('inbox session did not stop cleanly', { error });
    } finally {
      clearTimeout(timer);
    }
    if (this.snapshot.state === 'running') this.setState(this.snapshot.version, 'stopped');
  }

  private setState(version: number, state: InboxRunState, reason?: string): void {
    this.snapshot =
      reason === undefined
        ? { inboxId: this.deps.inboxId, version, state }
        : { inboxId: this.deps.inboxId, version, state, reason };
    this.deps.onStateChange();
  }
}
