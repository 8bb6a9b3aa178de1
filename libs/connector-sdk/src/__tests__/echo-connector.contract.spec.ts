import { randomUUID } from 'node:crypto';
import { describeConnectorContract } from '../testing/contract-suite';
import type { EchoSettings } from './example/echo-payload';
import { EchoTransportError } from './example/echo-transport-error';
import { EchoConnector } from './example/echo.connector';

const update = (messageId: number, extra: Record<string, unknown> = {}) => ({
  update_id: 500 + messageId,
  message: {
    message_id: messageId,
    chat: { id: -1001 },
    from: { id: 9, first_name: 'Bea', username: 'bea' },
    date: 1_735_000_000,
    text: 'Where is my order?',
    ...extra,
  },
});

describeConnectorContract<EchoSettings, unknown>({
  connector: () => new EchoConnector(),
  config: {
    inboxId: randomUUID(),
    name: 'Echo support',
    version: 1,
    settings: { greeting: 'hello', maxAttachmentBytes: 1024 },
    secrets: { apiToken: 'contract-secret-token-8d1e' },
  },
  payloads: [
    {
      name: 'a text message',
      raw: update(1),
      check: ([message]) => expect(message.text).toBe('Where is my order?'),
    },
    {
      name: 'a reply with an attachment',
      raw: update(2, {
        reply_to_message_id: 1,
        attachment: {
          name: 'receipt.txt',
          content_type: 'text/plain',
          base64: Buffer.from('paid').toString('base64'),
        },
      }),
      check: ([message]) => {
        expect(message.inReplyTo).toBe('-1001:1');
        expect(message.attachments).toEqual([expect.objectContaining({ name: 'receipt.txt', size: 4 })]);
      },
    },
    {
      name: 'an attachment over the limit',
      raw: update(3, {
        attachment: {
          name: 'big.bin',
          content_type: 'application/octet-stream',
          base64: Buffer.alloc(2048).toString('base64'),
        },
      }),
      check: ([message]) =>
        expect(message.refusedAttachments).toEqual([
          expect.objectContaining({ name: 'big.bin', reason: 'too large' }),
        ]),
    },
  ],
  malformed: [
    { name: 'an empty object', raw: {} },
    { name: 'null', raw: null },
    {
      name: 'a message without a chat',
      raw: { update_id: 1, message: { message_id: 1, from: { id: 1 }, date: 1 } },
    },
    { name: 'a string', raw: 'not json at all' },
  ],
  transportErrors: [
    {
      name: 'HTTP 429 with Retry-After: 3',
      error: new EchoTransportError('Too Many Requests', { status: 429, retryAfterSeconds: 3 }),
      code: 'RATE_LIMITED',
      retryAfterMs: 3000,
    },
    {
      name: 'HTTP 401',
      error: new EchoTransportError('Unauthorized', { status: 401 }),
      code: 'AUTH_INVALID',
    },
    { name: 'HTTP 403', error: new EchoTransportError('Forbidden', { status: 403 }), code: 'PERMISSION' },
    {
      name: 'HTTP 500',
      error: new EchoTransportError('Internal Server Error', { status: 500 }),
      code: 'TEMPORARY',
    },
    {
      name: 'ECONNRESET',
      error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      code: 'TEMPORARY',
    },
  ],
  hostRoundTrip: { outbound: { text: 'We are on it' } },
});
