import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { MessageBus } from '@switchboard/common';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MESSAGE_BUS } from '../bus/bus.tokens';
import { RelayLoop, type RelayLoopListener, type RelayLoopOptions } from './outbox-relay.loop';
import type { RelayWorkerData, RelayWorkerEvent } from './outbox-relay.worker-protocol';

export { RELAY_LOCK_KEY } from './outbox-relay.loop';

/** Injection token of OutboxRelayOptions. */
export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

export interface OutboxRelayOptions extends RelayLoopOptions {
  /**
   * Kafka settings for a relay of its own on a worker thread (its own producer): publishing then never
   * takes the event loop that ingests messages and answers the API. Without them the relay runs on
   * this thread with the injected bus (an in-process bus cannot be shared with a thread).
   */
  thread?: RelayWorkerData['kafka'];
}

/** a stopping worker thread gets this long to finish its round and close before it is terminated */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Publishes outbox rows: inbox.events.v1, channel.<type>.outbound.v1, inbox.channels.v1 — in id order,
 * which is commit order per key because every writer holds the row lock of what the key names. The
 * loop (RelayLoop: one leader across instances, LISTEN/NOTIFY with polling, publish then delete) runs
 * on a worker thread when `thread` is set, else here; a thread that dies is started again.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private loop: RelayLoop | null = null;
  private worker: Worker | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private leader = false;
  /** records published by this instance (metrics, tests) */
  published = 0;

  private readonly listener: RelayLoopListener = {
    leader: (isLeader) => {
      this.leader = isLeader;
    },
    published: (count) => {
      this.published += count;
    },
    log: (level, message) => this.logger[level](message),
  };

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: OutboxRelayOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.thread) {
      this.startWorker(this.options.thread);
    } else {
      this.loop = new RelayLoop(this.bus, this.options, this.listener);
      this.loop.start();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.loop?.stop();
    await this.stopWorker();
  }

  get isLeader(): boolean {
    return this.leader;
  }

  private startWorker(kafka: RelayWorkerData['kafka']): void {
    const { thread: _thread, ...relay } = this.options;
    // compiled: the .js beside this file; under ts-node or jest: the .ts, compiled on load by ts-node
    const extension = extname(__filename);
    const worker = new Worker(join(__dirname, `outbox-relay.worker${extension}`), {
      workerData: { kafka, relay } satisfies RelayWorkerData,
      execArgv: extension === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [],
    });
    worker.on('message', (event: RelayWorkerEvent) => {
      if (event.type === 'leader') this.listener.leader(event.isLeader);
      else if (event.type === 'published') this.listener.published(event.count);
      else if (event.type === 'log') this.listener.log(event.level, event.message);
    });
    worker.on('error', (error) => this.logger.error(`outbox relay thread: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.leader = false;
      if (this.stopping) return;
      this.logger.warn(`outbox relay thread exited (code ${code}); starting another`);
      this.restartTimer = setTimeout(() => {
        if (!this.stopping) this.startWorker(kafka);
      }, relay.leaderRetryMs ?? 2000);
    });
    this.worker = worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' });
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.worker = null;
  }
}
