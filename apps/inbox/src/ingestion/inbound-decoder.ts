import {
  cloudEventSchema,
  INBOUND_MESSAGE_EDITED_TYPE,
  INBOUND_MESSAGE_TYPE,
  inboundMessageEditedSchema,
  inboundMessageSchema,
  NonRetryableError,
  type BusMessage,
  type InboundMessage,
  type InboundMessageEdited,
} from '@switchboard/common';
import { withoutNul } from '../persistence/without-nul';
import { InboundMessageReader } from './inbound-message.reader';

export type DecodedInbound =
  | { kind: 'message'; bus: BusMessage; data: InboundMessage }
  | { kind: 'edit'; bus: BusMessage; data: InboundMessageEdited };

/**
 * Parses an inbox.inbound.v1 record (CloudEvent JSON) into a validated inbound message or edit.
 * Anything else throws NonRetryableError, which sends it to the DLQ.
 */
export class InboundDecoder {
  decode(message: BusMessage): DecodedInbound {
    const text = message.value.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new NonRetryableError('inbound record is not JSON');
    }
    // JSON carries a NUL only escaped; Postgres' text and jsonb cannot hold one, and a customer's message
    // must not be refused (or sink its batch) for a byte a broken mailer left in it
    if (text.includes('\\u0000')) json = withoutNul(json);
    // the hot path checks the envelope's few fields by hand and leaves zod to the payload
    const envelope = json as { specversion?: unknown; type?: unknown; id?: unknown; data?: unknown } | null;
    if (!envelope || typeof envelope !== 'object' || envelope.specversion !== '1.0' || typeof envelope.type !== 'string' || typeof envelope.id !== 'string') {
      const checked = cloudEventSchema.safeParse(json);
      throw new NonRetryableError(`inbound record is not a CloudEvent: ${checked.success ? 'invalid' : (checked.error.issues[0]?.message ?? 'invalid')}`);
    }
    const { type, data } = envelope;
    if (type === INBOUND_MESSAGE_TYPE) {
      // the common shape is read by hand; zod has the last word on anything else (and names the field)
      const read = InboundMessageReader.read(data);
      if (read) return { kind: 'message', bus: message, data: read };
      const parsed = inboundMessageSchema.safeParse(data);
      if (!parsed.success) throw new NonRetryableError(`invalid inbound message: ${describe(parsed.error.issues)}`);
      return { kind: 'message', bus: message, data: parsed.data };
    }
    if (type === INBOUND_MESSAGE_EDITED_TYPE) {
      const parsed = inboundMessageEditedSchema.safeParse(data);
      if (!parsed.success) throw new NonRetryableError(`invalid inbound edit: ${describe(parsed.error.issues)}`);
      return { kind: 'edit', bus: message, data: parsed.data };
    }
    throw new NonRetryableError(`unexpected event type on the inbound topic: ${type}`);
  }
}

function describe(issues: ReadonlyArray<{ path: (string | number)[]; message: string }>): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
