/**
 * Runs one job at a time. Asking while it runs makes it run exactly once more when it finishes, however
 * many times it was asked: the shape of "drain the queue when there may be work" (a trigger during a
 * drain may have added work the drain already passed). A failing run is reported and does not stop later
 * ones.
 */
export class CoalescingRunner {
  private busy = false;
  private current: Promise<void> = Promise.resolve();
  private again = false;
  private stopped = false;

  constructor(
    private readonly job: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  /** runs the job now, or once more after the running one */
  request(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.current = this.loop();
  }

  /** resolves when no run is in progress */
  async idle(): Promise<void> {
    while (this.busy) await this.current;
  }

  /** no more runs; resolves when the one in progress finished */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.idle();
  }

  /** asked again while the current run is in progress (it will run once more) */
  get requestedAgain(): boolean {
    return this.again;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.job();
        } catch (error) {
          this.onError(error instanceof Error ? error : new Error(String(error)));
        }
      } while (this.again && !this.stopped);
    } finally {
      // in the same tick as the last look at `again`: a request from now on starts a new run (none is lost
      // between the loop's end and a later clean-up)
      this.busy = false;
    }
  }
}
