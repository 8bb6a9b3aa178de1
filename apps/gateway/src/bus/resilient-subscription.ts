import type { MessageBus, SubscribeOptions, Subscription, TopicSpec } from '@switchboard/common';

export interface ResilientSubscriptionLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * A subscription started in the background and retried with backoff until Kafka answers, so the
 * gateway boots (health, REST) while Kafka is away; `ready` says whether it runs (for /readyz).
 */
export class ResilientSubscription {
  private subscription: Subscription | undefined;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private resolveStarted!: () => void;
  /** resolves once subscribed (never when stopped first) */
  readonly started = new Promise<void>((resolve) => (this.resolveStarted = resolve));

  constructor(
    private readonly bus: MessageBus,
    private readonly topics: TopicSpec[],
    private readonly options: SubscribeOptions,
    private readonly logger: ResilientSubscriptionLogger,
  ) {}

  get ready(): boolean {
    return this.subscription !== undefined;
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.subscription?.stop();
  }

  private async run(): Promise<void> {
    let delay = 500;
    while (!this.stopping.signal.aborted) {
      try {
        await this.bus.ensureTopics(this.topics);
        const subscription = await this.bus.subscribe(this.options);
        if (this.stopping.signal.aborted) {
          await subscription.stop();
          return;
        }
        this.subscription = subscription;
        this.resolveStarted();
        return;
      } catch (error) {
        this.logger.warn(
          { err: error, groupId: this.options.groupId, retryInMs: delay },
          'subscription failed; retrying',
        );
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
