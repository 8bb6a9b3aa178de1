import { datetimeRegex } from 'zod';
import type { InboundMessage } from '@switchboard/common';

// the very checks inboundMessageSchema makes (zod 3's own uuid and datetime-with-offset patterns),
// compiled once instead of on every parse
const UUID = /^[0-9a-fA-F]{8}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{4}\b-[0-9a-fA-F]{12}$/i;
const DATETIME = datetimeRegex({ offset: true });
const CHANNEL_TYPE = /^[a-z][a-z0-9-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

type Json = Record<string, unknown>;
type Attachment = InboundMessage['attachments'][number];
type RefusedAttachment = InboundMessage['refusedAttachments'][number];
type Address = { address: string; name?: string };

/** thrown inside the reader when the input leaves the common shape; never escapes it */
const OFF_PATH = Symbol('off the fast path');

/**
 * The hot path of inboundMessageSchema (the contract stays the zod schema): reads a well-formed
 * `switchboard.inbound.message.v1` data object with hand-written checks and returns exactly what
 * `inboundMessageSchema.parse` would (unknown keys dropped, defaults applied, same key order), or
 * `undefined` for anything it is not sure about — the caller then asks zod, which accepts it or says
 * which field is wrong. It never accepts what the schema rejects: a differential test holds it to that.
 */
export class InboundMessageReader {
  static read(data: unknown): InboundMessage | undefined {
    try {
      return readMessage(data);
    } catch (thrown) {
      if (thrown === OFF_PATH) return undefined;
      throw thrown;
    }
  }
}

function readMessage(data: unknown): InboundMessage {
  const d = object(data);
  const out: Json = {
    inboxId: matching(d.inboxId, UUID),
    channelType: matching(d.channelType, CHANNEL_TYPE),
    externalId: nonEmpty(d.externalId),
    threadKey: nonEmpty(d.threadKey),
    sender: readSender(d.sender),
    sentAt: matching(d.sentAt, DATETIME),
    receivedAt: matching(d.receivedAt, DATETIME),
  };
  optional(out, d, 'subject', string);
  out.text = d.text === undefined ? '' : string(d.text);
  optional(out, d, 'html', string);
  optional(out, d, 'quotedText', string);
  out.attachments = list(d.attachments, readAttachment);
  out.refusedAttachments = list(d.refusedAttachments, readRefusedAttachment);
  out.references = list(d.references, string);
  optional(out, d, 'inReplyTo', string);
  optional(out, d, 'replyToken', string);
  out.autoReply = d.autoReply === undefined ? false : boolean(d.autoReply);
  optional(out, d, 'participants', readParticipants);
  out.channelMetadata = d.channelMetadata === undefined ? {} : record(d.channelMetadata);
  return out as InboundMessage;
}

function readSender(value: unknown): InboundMessage['sender'] {
  const s = object(value);
  const out: Json = { externalId: nonEmpty(s.externalId) };
  for (const key of ['displayName', 'username', 'email', 'phone', 'language'] as const) optional(out, s, key, string);
  return out as InboundMessage['sender'];
}

function readAttachment(value: unknown): Attachment {
  const a = object(value);
  const name = nonEmpty(a.name);
  if (name.length > 255) throw OFF_PATH;
  return { key: nonEmpty(a.key), name, size: count(a.size), contentType: nonEmpty(a.contentType), sha256: matching(a.sha256, SHA256) };
}

function readRefusedAttachment(value: unknown): RefusedAttachment {
  const r = object(value);
  const out: Json = { name: string(r.name) };
  optional(out, r, 'size', count);
  optional(out, r, 'contentType', string);
  out.reason = nonEmpty(r.reason);
  return out as RefusedAttachment;
}

function readParticipants(value: unknown): NonNullable<InboundMessage['participants']> {
  const p = object(value);
  return { to: list(p.to, readAddress), cc: list(p.cc, readAddress), replyTo: list(p.replyTo, readAddress) };
}

function readAddress(value: unknown): Address {
  const a = object(value);
  const out: Address = { address: string(a.address) };
  if (a.name !== undefined) out.name = string(a.name);
  return out;
}

/** sets `key` when the input has it (zod keeps an absent optional key absent) */
function optional<T>(out: Json, input: Json, key: string, read: (value: unknown) => T): void {
  if (input[key] !== undefined) out[key] = read(input[key]);
}

function object(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw OFF_PATH;
  return value as Json;
}

/** a plain JSON object copied key by key, as z.record does (anything unusual is left to zod) */
function record(value: unknown): Record<string, unknown> {
  const input = object(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (key === '__proto__') throw OFF_PATH;
    out[key] = input[key];
  }
  return out;
}

function list<T>(value: unknown, read: (item: unknown) => T): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw OFF_PATH;
  const out = new Array<T>(value.length);
  for (let index = 0; index < value.length; index += 1) out[index] = read(value[index]);
  return out;
}

function string(value: unknown): string {
  if (typeof value !== 'string') throw OFF_PATH;
  return value;
}

function nonEmpty(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw OFF_PATH;
  return value;
}

function matching(value: unknown, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw OFF_PATH;
  return value;
}

function boolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw OFF_PATH;
  return value;
}

function count(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw OFF_PATH;
  return value;
}
