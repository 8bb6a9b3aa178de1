import { RoutingScheduler } from '../routing-scheduler.service';
import type { AssignmentService } from '../assignment.service';

/** an AssignmentService where every method fails the test unless the test gave it an implementation */
function strictAssignment(overrides: Partial<Record<keyof AssignmentService, jest.Mock>>): AssignmentService {
  return new Proxy({} as AssignmentService, {
    get: (_target, property: string) => {
      const mock = overrides[property as keyof AssignmentService];
      if (!mock) throw new Error(`unexpected call of AssignmentService.${property}`);
      return mock;
    },
  });
}

describe(RoutingScheduler.name, () => {
  it('coalesces triggers during a drain into exactly one more drain', async () => {
    let release: () => void = () => undefined;
    const drainQueue = jest
      .fn()
      .mockImplementationOnce(() => new Promise<number>((resolve) => (release = () => resolve(1))))
      .mockResolvedValue(0);
    const sut = new RoutingScheduler(strictAssignment({ drainQueue }), { sweepIntervalMs: 0, workers: 3 });

    sut.conversationsQueued(['a']);
    sut.capacityChanged('op-1');
    sut.conversationsQueued(['b']);
    sut.capacityChanged(null);
    release();
    await sut.idle();

    expect(drainQueue).toHaveBeenCalledTimes(2);
    expect(drainQueue).toHaveBeenCalledWith(3, expect.any(Function));
  });

  it('a sweep requeues unanswered conversations and wakes snoozed ones before draining', async () => {
    const calls: string[] = [];
    const record = (name: string, value: unknown) => jest.fn(async () => {
      calls.push(name);
      return value;
    });
    const sut = new RoutingScheduler(
      strictAssignment({ requeueUnanswered: record('requeueUnanswered', []), wakeSnoozed: record('wakeSnoozed', []), drainQueue: record('drainQueue', 0) }),
      { sweepIntervalMs: 0, workers: 1 },
    );
    await sut.sweep();
    await sut.idle();
    expect(calls).toEqual(['requeueUnanswered', 'wakeSnoozed', 'drainQueue']);
  });

  it('keeps going after a failed drain (logs, does not throw)', async () => {
    const drainQueue = jest.fn().mockRejectedValueOnce(new Error('database restarting')).mockResolvedValue(0);
    const sut = new RoutingScheduler(strictAssignment({ drainQueue }), { sweepIntervalMs: 0, workers: 1 });
    sut.kick();
    await sut.idle();
    sut.kick();
    await sut.idle();
    expect(drainQueue).toHaveBeenCalledTimes(2);
  });
});
