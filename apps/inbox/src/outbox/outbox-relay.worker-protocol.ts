import type { KafkaBusOptions } from '@switchboard/common/bus/kafka/kafka-bus';
import type { RelayLoopOptions } from './outbox-relay.loop';

/** What the relay's worker thread is started with (structured-cloneable). */
export interface RelayWorkerData {
  kafka: Pick<KafkaBusOptions, 'brokers' | 'clientId' | 'topicPrefix' | 'defaultPartitions' | 'compression'>;
  relay: RelayLoopOptions;
}

/** What the worker tells the main thread. The main thread sends `{ type: 'stop' }`. */
export type RelayWorkerEvent =
  | { type: 'started' }
  | { type: 'leader'; isLeader: boolean }
  | { type: 'published'; count: number }
  | { type: 'log'; level: 'log' | 'warn'; message: string }
  | { type: 'stopped' };
