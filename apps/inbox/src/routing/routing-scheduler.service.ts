import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CoalescingRunner } from '@switchboard/common';
import { AssignmentService } from './assignment.service';
import type { RoutingTrigger } from './routing-trigger';
import { ROUTING_OPTIONS, type RoutingOptions } from './routing-options';

/**
 * Runs routing when there may be work — a conversation was queued, an operator came online or freed
 * capacity — and on a timer sweep (which also requeues unanswered conversations and wakes snoozed
 * ones). A shift that starts needs no trigger of its own: the next sweep's drain sees the operator on
 * shift (so with the timer disabled, a shift start waits for the next queued conversation or
 * availability change). One drain at a time per instance; a trigger during a drain schedules one more. Several
 * instances may drain together: assignment itself is safe under concurrency.
 */
@Injectable()
export class RoutingScheduler implements RoutingTrigger, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoutingScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private readonly drain: CoalescingRunner = new CoalescingRunner(
    (): Promise<number> => this.assignment.drainQueue(this.options.workers, () => this.drain.requestedAgain),
    (error) => this.logger.warn(`routing drain failed: ${error.message}`),
  );

  constructor(
    private readonly assignment: AssignmentService,
    @Inject(ROUTING_OPTIONS) private readonly options: RoutingOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.sweepIntervalMs > 0) {
      this.timer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
      this.timer.unref();
    }
    this.kick();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.drain.stop();
  }

  conversationsQueued(_conversationIds: readonly string[]): void {
    this.kick();
  }

  capacityChanged(_operatorId: string | null): void {
    this.kick();
  }

  /** requeue what was left unanswered, wake snoozed conversations, then drain */
  async sweep(): Promise<void> {
    if (this.drain.isStopped) return;
    try {
      await this.assignment.requeueUnanswered();
      await this.assignment.wakeSnoozed();
    } catch (error) {
      this.logger.warn(`routing sweep failed: ${(error as Error).message}`);
    }
    this.kick();
  }

  /** starts a drain, or asks the running one to go round once more */
  kick(): void {
    this.drain.request();
  }

  /** resolves when no drain is running (tests and shutdown) */
  idle(): Promise<void> {
    return this.drain.idle();
  }
}
