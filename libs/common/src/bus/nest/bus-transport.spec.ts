import { InMemoryBus } from '../in-memory/in-memory-bus';
import { runBusTransportScenario } from '../testing/bus-transport-scenario';
import { BusModule } from './bus.module';

describe('BusTransport on the in-memory bus', () => {
  it('delivers to decorated handlers (single, batch, DLQ, observable) and BusModule closes the bus with the app', async () => {
    const bus = await runBusTransportScenario({ busModule: BusModule.forRoot({ clientId: 'spec', topicPrefix: 'nest.' }), waitMs: 4000 });
    expect(bus).toBeInstanceOf(InMemoryBus);
    expect(await bus.ping()).toBe(false);
  });
});
