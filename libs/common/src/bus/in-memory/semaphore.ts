/** At most `slots` holders at a time; waiters are served in arrival order. */
export class Semaphore {
  private readonly waiters: Array<() => void> = [];

  constructor(private slots: number) {}

  async acquire(): Promise<() => void> {
    if (this.slots > 0) {
      this.slots--;
    } else {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.slots++;
    };
  }
}
