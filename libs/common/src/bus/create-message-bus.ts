import { BusOptions, MessageBus } from './bus.port';
import { InMemoryBus } from './in-memory/in-memory-bus';
import { KafkaBus, KafkaBusOptions } from './kafka/kafka-bus';

export interface MessageBusOptions extends BusOptions {
  /** Kafka when given (non-empty), the in-process bus otherwise */
  brokers?: string[];
  clientId: string;
  /** Kafka tuning (linger, batch limits, timeouts) */
  kafka?: Partial<Omit<KafkaBusOptions, keyof BusOptions | 'brokers' | 'clientId'>>;
}

/** Kafka when brokers are configured, else the in-process bus (single-process mode). */
export function createMessageBus(options: MessageBusOptions): MessageBus {
  const common: BusOptions = { topicPrefix: options.topicPrefix, defaultPartitions: options.defaultPartitions, logger: options.logger };
  if (options.brokers?.length) {
    return new KafkaBus({ ...options.kafka, ...common, brokers: options.brokers, clientId: options.clientId });
  }
  return new InMemoryBus(common);
}
