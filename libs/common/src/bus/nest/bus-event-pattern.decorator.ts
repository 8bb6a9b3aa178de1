import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { SubscribeOptions } from '../bus.port';
import { BusExceptionFilter } from './bus-exception.filter';

/** What a bus handler declares besides its topic; everything but `batch` is passed to MessageBus.subscribe. */
export interface BusHandlerOptions extends Omit<SubscribeOptions, 'topics' | 'groupId' | 'eachMessage' | 'eachBatch'> {
  /** the consumer group (default: the transport's defaultGroupId + '.' + topic) */
  groupId?: string;
  /** receive BusMessage[] (a run of consecutive messages of one partition) instead of one BusMessage */
  batch?: boolean;
}

/**
 * `@EventPattern(topic, options)` with typed options, and errors reaching the transport as thrown
 * (so a NonRetryableError goes to the DLQ at once). Plain `@EventPattern(topic, { groupId, batch })` works too.
 */
export function BusEventPattern(topic: string, options: BusHandlerOptions = {}): MethodDecorator {
  return applyDecorators(EventPattern(topic, { ...options }), UseFilters(BusExceptionFilter));
}
