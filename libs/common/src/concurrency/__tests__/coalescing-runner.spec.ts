import { CoalescingRunner } from '../coalescing-runner';

/** a job whose runs are released by hand */
function gatedJob(): {
  job: () => Promise<void>;
  runs: number;
  release: () => void;
  started: () => Promise<void>;
} {
  const state = {
    runs: 0,
    gates: [] as Array<() => void>,
    waiting: [] as Array<() => void>,
  };
  return {
    job: () =>
      new Promise<void>((resolve) => {
        state.runs += 1;
        state.gates.push(resolve);
        state.waiting.splice(0).forEach((notify) => notify());
      }),
    get runs() {
      return state.runs;
    },
    release: () => state.gates.shift()?.(),
    started: () =>
      new Promise<void>((resolve) => (state.gates.length ? resolve() : state.waiting.push(resolve))),
  };
}

describe(CoalescingRunner.name, () => {
  it('runs once more after the running job however many times it was asked meanwhile', async () => {
    const gated = gatedJob();
    const runner = new CoalescingRunner(gated.job, () => undefined);
    runner.request();
    await gated.started();
    runner.request();
    runner.request();
    runner.request();
    gated.release();
    await gated.started();
    gated.release();
    await runner.idle();
    expect(gated.runs).toBe(2);
  });

  it('reports a failing run and keeps serving requests', async () => {
    const errors: string[] = [];
    let calls = 0;
    const runner = new CoalescingRunner(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
      },
      (error) => errors.push(error.message),
    );
    runner.request();
    await runner.idle();
    runner.request();
    await runner.idle();
    expect(errors).toEqual(['database away']);
    expect(calls).toBe(2);
  });

  it('runs nothing after stop, and stop waits for the run in progress', async () => {
    const gated = gatedJob();
    const runner = new CoalescingRunner(gated.job, () => undefined);
    runner.request();
    await gated.started();
    runner.request();
    const stopping = runner.stop();
    gated.release();
    await stopping;
    runner.request();
    await runner.idle();
    expect(gated.runs).toBe(1);
    expect(runner.isStopped).toBe(true);
  });

  it('never loses a request made in the ticks right after a run finished', async () => {
    for (let delay = 0; delay < 8; delay += 1) {
      let runs = 0;
      const runner: CoalescingRunner = new CoalescingRunner(
        async () => {
          runs += 1;
          if (runs === 1) {
            // asks again `delay` microtasks after this run's promise settles
            const later = (left: number): void => {
              if (left === 0) runner.request();
              else queueMicrotask(() => later(left - 1));
            };
            queueMicrotask(() => later(delay));
          }
        },
        () => undefined,
      );
      runner.request();
      for (let i = 0; i < 50; i += 1) await Promise.resolve();
      await runner.idle();
      expect({ delay, runs }).toEqual({ delay, runs: 2 });
    }
  });
});
