import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import { KafkaBus } from '../kafka/kafka-bus';
import { runBusTransportScenario } from '../testing/bus-transport-scenario';
import { BusModule } from './bus.module';

jest.setTimeout(120_000);

describe('BusTransport on Kafka', () => {
  it('delivers to decorated handlers (single, batch, DLQ, observable) and BusModule closes the bus with the app', async () => {
    const bus = await runBusTransportScenario({
      busModule: BusModule.forRootAsync({
        useFactory: () => ({ brokers: kafkaBrokers(), clientId: 'bus-transport-spec', topicPrefix: `${uniqueName('nest')}.` }),
      }),
      waitMs: 60_000,
      subscribeDefaults: { sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 300, maxWaitTimeMs: 200 },
    });
    expect(bus).toBeInstanceOf(KafkaBus);
    await expect(bus.publish('probe.single', [{ key: 'k', value: 'late' }])).rejects.toThrow(/closed/);
  });
});
