import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * CloudEvents 1.0 structured-mode JSON envelope. The schema version lives in `type`
 * (e.g. `switchboard.inbound.message.v1`); consumers reject (DLQ) what they cannot parse.
 */
export const cloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().regex(/^switchboard\.[a-z0-9_.]+\.v\d+$/, 'type must be switchboard.<name>.v<N>'),
  subject: z.string().optional(),
  time: z.string().datetime({ offset: true }),
  datacontenttype: z.literal('application/json').default('application/json'),
  /** W3C trace context, carried alongside the Kafka header */
  traceparent: z.string().optional(),
  correlationid: z.string().optional(),
  data: z.unknown(),
});

export type CloudEvent<T = unknown> = Omit<z.infer<typeof cloudEventSchema>, 'data'> & { data: T };

export interface NewEventOptions {
  id?: string;
  subject?: string;
  time?: Date;
  traceparent?: string;
  correlationId?: string;
}

export function newEvent<T>(type: string, source: string, data: T, options: NewEventOptions = {}): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    source,
    type,
    subject: options.subject,
    time: (options.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    traceparent: options.traceparent,
    correlationid: options.correlationId,
    data,
  };
}
