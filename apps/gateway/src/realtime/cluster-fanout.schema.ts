import { z } from 'zod';

/**
 * Gateway-internal topic between gateway instances: what one instance learns from its own sockets
 * (presence, a visitor typing) or from the web chat connector (a reply for a visitor) and every
 * other instance must pass on to its sockets. Each instance reads it with a group of its own.
 */
export const GATEWAY_FANOUT_TOPIC = 'gateway.fanout.v1';

const base = { origin: z.string().min(1), at: z.number() };

export const presenceStateSchema = z.enum(['viewing', 'typing', 'left']);
export type PresenceState = z.infer<typeof presenceStateSchema>;

export const fanoutMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    ...base,
    kind: z.literal('presence'),
    conversationId: z.string().uuid(),
    operatorId: z.string().uuid(),
    name: z.string().optional(),
    state: presenceStateSchema,
  }),
  z.object({
    ...base,
    kind: z.literal('contact-typing'),
    conversationId: z.string().uuid(),
    inboxId: z.string().uuid(),
    state: z.enum(['typing', 'stopped']),
  }),
  z.object({
    ...base,
    kind: z.literal('visitor-message'),
    inboxId: z.string().uuid(),
    threadKey: z.string().min(1),
    message: z.record(z.unknown()),
  }),
  z.object({
    ...base,
    kind: z.literal('visitor-typing'),
    inboxId: z.string().uuid(),
    threadKey: z.string().min(1),
    state: z.enum(['typing', 'stopped']),
    name: z.string().optional(),
  }),
]);

export type FanoutMessage = z.infer<typeof fanoutMessageSchema>;
export type FanoutKind = FanoutMessage['kind'];
export type FanoutOf<K extends FanoutKind> = Extract<FanoutMessage, { kind: K }>;
/** what a sender gives (origin and time are added) */
export type FanoutInput<K extends FanoutKind> = Omit<FanoutOf<K>, 'origin' | 'at'>;
