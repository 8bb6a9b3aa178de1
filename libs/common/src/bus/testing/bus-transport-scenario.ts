import { Controller, DynamicModule, INestApplication, Inject, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Observable, of, throwError } from 'rxjs';
import { BusMessage, DlqHeaders, MessageBus, NonRetryableError, SubscribeOptions } from '../bus.port';
import { BusEventPattern } from '../nest/bus-event-pattern.decorator';
import { BusRpcContext } from '../nest/bus-rpc.context';
import { BusTransport } from '../nest/bus-transport';
import { MESSAGE_BUS } from '../nest/bus.constants';

const fastRetry = { maxAttempts: 5, initialBackoffMs: 5, maxBackoffMs: 10 };

@Injectable()
class ProbeRecorder {
  readonly single: Array<{ value: string; topic: string }> = [];
  readonly batches: string[][] = [];
  readonly deadLetters: BusMessage[] = [];
  invalidCalls = 0;
  observableCalls = 0;
}

@Controller()
class ProbeConsumer {
  constructor(@Inject(ProbeRecorder) private readonly recorder: ProbeRecorder) {}

  @BusEventPattern('probe.single', { groupId: 'probe.single' })
  async single(@Payload() message: BusMessage, @Ctx() ctx: BusRpcContext): Promise<void> {
    this.recorder.single.push({ value: message.value.toString(), topic: ctx.getTopic() });
  }

  @BusEventPattern('probe.batch', { groupId: 'probe.batch', batch: true, maxBatchSize: 40 })
  async batch(@Payload() messages: BusMessage[]): Promise<void> {
    this.recorder.batches.push(messages.map((m) => m.value.toString()));
  }

  @BusEventPattern('probe.invalid', { groupId: 'probe.invalid', dlqTopic: 'probe.dlq', retry: fastRetry })
  async invalid(): Promise<void> {
    this.recorder.invalidCalls++;
    throw new NonRetryableError('not an event I know');
  }

  /** the plain Nest decorator works too; an erroring observable is a failure */
  @EventPattern('probe.observable', { groupId: 'probe.observable', retry: fastRetry })
  observable(): Observable<undefined> {
    this.recorder.observableCalls++;
    return this.recorder.observableCalls === 1 ? throwError(() => new Error('first time fails')) : of(undefined);
  }

  @BusEventPattern('probe.dlq', { groupId: 'probe.dlq-reader', dlqTopic: 'probe.dlq-of-dlq' })
  async deadLetter(@Payload() message: BusMessage): Promise<void> {
    this.recorder.deadLetters.push(message);
  }
}

export interface BusTransportScenarioOptions {
  /** BusModule.forRoot(...) for the adapter under test */
  busModule: DynamicModule;
  waitMs: number;
  subscribeDefaults?: Partial<SubscribeOptions>;
}

/**
 * A Nest app whose decorated controller consumes through BusTransport on the bus BusModule provides:
 * single and batch handlers get their messages, a NonRetryableError goes to the DLQ after one call,
 * an erroring observable is retried; closing the app closes the bus.
 */
export async function runBusTransportScenario(options: BusTransportScenarioOptions): Promise<MessageBus> {
  const moduleRef = await Test.createTestingModule({
    imports: [options.busModule],
    controllers: [ProbeConsumer],
    providers: [ProbeRecorder],
  }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  const recorder = app.get(ProbeRecorder);
  try {
    app.connectMicroservice({ strategy: new BusTransport(bus, { subscribeDefaults: options.subscribeDefaults }) });
    await app.startAllMicroservices();
    await app.init();

    await bus.publish('probe.single', [
      { key: 'a', value: 'one' },
      { key: 'a', value: 'two' },
    ]);
    const batch = Array.from({ length: 100 }, (_, i) => ({ key: `k${i % 7}`, value: `m${i}` }));
    await bus.publish('probe.batch', batch);
    await bus.publish('probe.invalid', [{ key: 'x', value: { what: 'unknown' }, headers: { 'x-origin': 'spec' } }]);
    await bus.publish('probe.observable', [{ key: 'o', value: 'retry me' }]);

    const batchValues = () => recorder.batches.flat();
    await waitUntil(
      () =>
        recorder.single.length >= 2 &&
        new Set(batchValues()).size >= 100 &&
        recorder.deadLetters.length >= 1 &&
        recorder.observableCalls >= 2,
      options.waitMs,
    );

    expect(recorder.single).toEqual([
      { value: 'one', topic: 'probe.single' },
      { value: 'two', topic: 'probe.single' },
    ]);
    expect(recorder.batches.every((b) => Array.isArray(b) && b.length <= 40)).toBe(true);
    expect(new Set(batchValues())).toEqual(new Set(batch.map((m) => m.value)));
    expect(recorder.invalidCalls).toBe(1);
    expect(recorder.deadLetters[0].headers).toMatchObject({
      'x-origin': 'spec',
      [DlqHeaders.errorName]: 'NonRetryableError',
      [DlqHeaders.error]: 'not an event I know',
      [DlqHeaders.consumerGroup]: 'probe.invalid',
      [DlqHeaders.attempts]: '1',
    });
    expect(recorder.observableCalls).toBe(2);
  } finally {
    await app.close();
  }
  return bus;
}

async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
