/**
 * Runs one job at a time. Asking while it runs makes it run exactly once more when it finishes, however
 * many times it was asked: the shape of "drain the queue when there may be work" (a trigger during a
 * drain may have added work the drain already passed). A failing run is reported and does not stop later
 * ones.
 */
export class CoalescingRunner {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly job: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  /** runs the job now, or once more after the running one */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** resolves when no run is in progress */
  async idle(): Promise<void> {
    while (this.running) await this.running;
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
    do {
      this.again = false;
      try {
        await this.job();
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    } while (this.again && !this.stopped);
  }
}
