import { Topics } from '../../contracts/topics';
import { BatchHandler, MessageHandler, RetryPolicy, SubscribeOptions } from '../bus.port';
import { resolveRetryPolicy } from './retry-policy';

export const DEFAULT_MAX_BATCH_SIZE = 500;

/** SubscribeOptions with the defaults applied, checked the same way by both adapters. */
export interface SubscriptionSettings {
  groupId: string;
  topics: string[];
  eachMessage?: MessageHandler;
  eachBatch?: BatchHandler;
  fromBeginning: boolean;
  retry: RetryPolicy;
  dlqTopic: string;
  partitionsConsumedConcurrently: number;
  maxBatchSize: number;
}

export function resolveSubscription(options: SubscribeOptions): SubscriptionSettings {
  if (!options.groupId) throw new Error('subscribe: groupId is required');
  if (!options.topics?.length) throw new Error('subscribe: at least one topic is required');
  if (!options.eachBatch && !options.eachMessage) throw new Error('subscribe: eachMessage or eachBatch is required');
  const dlqTopic = options.dlqTopic ?? Topics.dlq;
  if (options.topics.includes(dlqTopic)) throw new Error(`subscribe: a consumer of ${dlqTopic} needs another dlqTopic`);
  const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 1;
  const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  if (!Number.isInteger(partitionsConsumedConcurrently) || partitionsConsumedConcurrently < 1) {
    throw new Error('subscribe: partitionsConsumedConcurrently must be an integer >= 1');
  }
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new Error('subscribe: maxBatchSize must be an integer >= 1');
  return {
    groupId: options.groupId,
    topics: [...new Set(options.topics)],
    eachMessage: options.eachMessage,
    eachBatch: options.eachBatch,
    fromBeginning: options.fromBeginning ?? true,
    retry: resolveRetryPolicy(options.retry),
    dlqTopic,
    partitionsConsumedConcurrently,
    maxBatchSize,
  };
}
