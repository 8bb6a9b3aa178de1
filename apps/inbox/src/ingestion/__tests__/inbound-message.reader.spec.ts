import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inboundMessageSchema } from '@switchboard/common';
import { InboundMessageReader } from '../inbound-message.reader';

const FIXTURES = join(__dirname, '../../../../../libs/common/src/contracts/fixtures');

function fixtureData(name: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(FIXTURES, `switchboard.inbound.message.v1.${name}.json`), 'utf8')) as { data: Record<string, unknown> }).data;
}

/** the fixture with one change; `undefined` removes the key */
function variant(name: string, change: Record<string, unknown>): Record<string, unknown> {
  const data = structuredClone(fixtureData(name));
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  return data;
}

/** the reader either declines or gives byte for byte what the contract's zod schema gives */
function expectSameAsSchema(input: unknown): 'read' | 'declined' {
  const sut = InboundMessageReader.read(structuredClone(input));
  const schema = inboundMessageSchema.safeParse(structuredClone(input));
  if (sut === undefined) return 'declined';
  expect(schema.success).toBe(true);
  if (!schema.success) return 'read';
  expect(sut).toStrictEqual(schema.data);
  expect(JSON.stringify(sut)).toBe(JSON.stringify(schema.data));
  return 'read';
}

describe(InboundMessageReader.name, () => {
  it.each(['email', 'telegram', 'webchat'])('reads the %s golden fixture exactly as the schema does', (name) => {
    expect(expectSameAsSchema(fixtureData(name))).toBe('read');
  });

  it.each<[string, Record<string, unknown>]>([
    ['the optional fields left out', { subject: undefined, html: undefined, quotedText: undefined, inReplyTo: undefined, replyToken: undefined, participants: undefined }],
    ['the defaulted fields left out', { text: undefined, attachments: undefined, refusedAttachments: undefined, references: undefined, autoReply: undefined, channelMetadata: undefined }],
    ['unknown keys (dropped)', { futureField: { a: 1 }, another: 'x' }],
    ['participants with defaulted lists', { participants: { to: [{ address: 'a@b.example' }] } }],
    ['a refused attachment without size and type', { refusedAttachments: [{ name: '', reason: 'too big' }] }],
    ['an offset time without a colon', { sentAt: '2025-03-14T12:11:58+0300' }],
    ['a leap day', { receivedAt: '2024-02-29T23:59:59.123456Z' }],
    ['an auto-reply', { autoReply: true }],
  ])('reads a message with %s exactly as the schema does', (_, change) => {
    expect(expectSameAsSchema(variant('email', change))).toBe('read');
  });

  it.each<[string, unknown]>([
    ['not an object', 'text'],
    ['null', null],
    ['an array', []],
    ['a bad inbox id', variant('telegram', { inboxId: 'not-a-uuid' })],
    ['an upper-case channel type', variant('telegram', { channelType: 'Telegram' })],
    ['an empty external id', variant('telegram', { externalId: '' })],
    ['no thread key', variant('telegram', { threadKey: undefined })],
    ['no sender', variant('telegram', { sender: undefined })],
    ['a sender without external id', variant('telegram', { sender: { displayName: 'x' } })],
    ['a sender name that is a number', variant('telegram', { sender: { externalId: 'x', displayName: 5 } })],
    ['a date without zone', variant('telegram', { sentAt: '2025-03-14T09:20:30' })],
    ['an impossible date', variant('telegram', { sentAt: '2025-02-30T09:20:30Z' })],
    ['a date only', variant('telegram', { receivedAt: '2025-03-14' })],
    ['text null', variant('telegram', { text: null })],
    ['references not an array', variant('telegram', { references: 'x' })],
    ['a reference that is a number', variant('telegram', { references: [1] })],
    ['autoReply as a string', variant('telegram', { autoReply: 'false' })],
    ['a negative attachment size', variant('email', { attachments: [{ key: 'k', name: 'n', size: -1, contentType: 'a/b', sha256: 'a'.repeat(64) }] })],
    ['a fractional attachment size', variant('email', { attachments: [{ key: 'k', name: 'n', size: 1.5, contentType: 'a/b', sha256: 'a'.repeat(64) }] })],
    ['an upper-case sha256', variant('email', { attachments: [{ key: 'k', name: 'n', size: 1, contentType: 'a/b', sha256: 'A'.repeat(64) }] })],
    ['a 256-character attachment name', variant('email', { attachments: [{ key: 'k', name: 'n'.repeat(256), size: 1, contentType: 'a/b', sha256: 'a'.repeat(64) }] })],
    ['a refused attachment without reason', variant('email', { refusedAttachments: [{ name: 'x' }] })],
    ['a participant without address', variant('email', { participants: { to: [{ name: 'x' }] } })],
    ['participants as a list', variant('email', { participants: [] })],
    ['channel metadata as a list', variant('email', { channelMetadata: [1] })],
  ])('declines %s, which the schema rejects too', (_, input) => {
    expect(InboundMessageReader.read(input)).toBeUndefined();
    expect(inboundMessageSchema.safeParse(input).success).toBe(false);
  });

  it('leaves what it is not sure about to the schema (a __proto__ key in the metadata)', () => {
    const input = variant('webchat', { channelMetadata: JSON.parse('{"__proto__": {"x": 1}}') as unknown });
    expect(InboundMessageReader.read(input)).toBeUndefined();
    expect(inboundMessageSchema.safeParse(input).success).toBe(true);
  });

  it('agrees with the schema on many generated messages, valid or not', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const strings = ['', 'a', 'Ёлка 😕', '2025-03-14T09:20:30.000Z', '2025-03-14T09:20:30+03:00', '0192f1a0-5b3c-7d2e-8f41-6a7b8c9d0e22', 'tele-gram'];
    const values = [...strings, undefined, null, 0, 1.5, true, [], {}];
    const fields = ['inboxId', 'channelType', 'externalId', 'threadKey', 'sentAt', 'receivedAt', 'subject', 'text', 'html', 'references', 'inReplyTo', 'autoReply', 'channelMetadata', 'participants', 'sender'];
    let read = 0;
    for (let index = 0; index < 2000; index += 1) {
      const change: Record<string, unknown> = {};
      const changes = 1 + Math.floor(random() * 3);
      for (let n = 0; n < changes; n += 1) change[pick(fields)] = random() < 0.3 ? [pick(strings)] : pick(values);
      if (expectSameAsSchema(variant(pick(['email', 'telegram', 'webchat']), change)) === 'read') read += 1;
    }
    expect(read).toBeGreaterThan(0);
  });
});
