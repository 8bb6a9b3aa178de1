import { randomUUID } from 'node:crypto';
import type { OutboundMessage } from '@switchboard/common';
import { describeConnectorContract } from '@switchboard/connector-sdk/testing';
import type { VisitorChannel } from '../visitor-channel';
import { WebchatDeliveryError } from '../webchat-delivery.error';
import { WebchatInboxRegistry } from '../webchat-inbox.registry';
import type { WebchatInbound } from '../webchat-payload';
import { WebchatConnector } from '../webchat.connector';
import type { WebchatSettings } from '../webchat.manifest';

const inboxId = randomUUID();
const threadId = randomUUID();

/** records what would go to visitors' sockets */
class RecordingVisitorChannel implements VisitorChannel {
  readonly delivered: OutboundMessage[] = [];
  async deliver(message: OutboundMessage): Promise<void> {
    this.delivered.push(message);
  }
  async typing(): Promise<void> {}
}

const visitor = { inboxId, threadId, externalId: `visitor:${threadId}`, name: 'Ann', verified: false };
const payload = (
  message: Partial<WebchatInbound['message']>,
  who: Partial<WebchatInbound['visitor']> = {},
): WebchatInbound => ({
  visitor: { ...visitor, ...who },
  message: {
    id: 'c0ffee0000000001',
    text: 'Hello, where is my order?',
    receivedAt: '2026-03-01T10:00:00.000Z',
    ...message,
  },
});

describeConnectorContract<WebchatSettings, unknown>({
  connector: () => new WebchatConnector(new WebchatInboxRegistry(), new RecordingVisitorChannel()),
  config: {
    inboxId,
    name: 'Shop web chat',
    version: 1,
    settings: { allowedOrigins: ['https://shop.example'], inboxKey: 'pk_shop' },
    secrets: { identitySecret: 'contract-identity-secret-6f2a' },
  },
  payloads: [
    {
      name: 'an anonymous visitor’s text',
      raw: payload({}),
      check: ([message]) => {
        expect(message.threadKey).toBe(threadId);
        expect(message.sender.externalId).toBe(`visitor:${threadId}`);
        expect(message.externalId).toBe(`webchat:${threadId}:c0ffee0000000001`);
      },
    },
    {
      name: 'a verified user’s message in Persian with an attachment',
      raw: payload(
        {
          id: 'c0ffee0000000002',
          text: 'سلام، سفارش من کجاست؟',
          language: 'fa',
          attachments: [
            {
              key: '2026/03/abc',
              name: 'receipt.pdf',
              size: 1234,
              contentType: 'application/pdf',
              sha256: 'a'.repeat(64),
            },
          ],
        },
        { externalId: 'user:customer-42', verified: true },
      ),
      check: ([message]) => {
        expect(message.sender).toMatchObject({ externalId: 'user:customer-42', language: 'fa' });
        expect(message.attachments).toHaveLength(1);
        expect(message.channelMetadata).toMatchObject({ verified: true });
      },
    },
    {
      name: 'an attachment without text',
      raw: payload({
        id: 'c0ffee0000000003',
        text: '',
        attachments: [
          { key: 'k/1', name: 'a.png', size: 1, contentType: 'image/png', sha256: 'b'.repeat(64) },
        ],
      }),
    },
  ],
  malformed: [
    { name: 'null', raw: null },
    { name: 'an empty object', raw: {} },
    {
      name: 'a message without an id',
      raw: { visitor, message: { text: 'hi', receivedAt: '2026-03-01T10:00:00.000Z' } },
    },
    { name: 'an empty message', raw: payload({ text: '   ' }) },
    { name: 'a visitor of another inbox', raw: payload({}, { inboxId: randomUUID() }) },
  ],
  transportErrors: [
    {
      name: 'the inbox is not served here',
      error: new WebchatDeliveryError('INBOX_STOPPED', 'not served'),
      code: 'NOT_FOUND',
    },
    {
      name: 'the fan-out is down',
      error: new WebchatDeliveryError('FANOUT_UNAVAILABLE', 'kafka down'),
      code: 'TEMPORARY',
    },
    {
      name: 'a malformed reply',
      error: new WebchatDeliveryError('MESSAGE_INVALID', 'bad'),
      code: 'INVALID_PAYLOAD',
    },
    {
      name: 'ECONNRESET',
      error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      code: 'TEMPORARY',
    },
  ],
  hostRoundTrip: {
    outbound: {
      text: 'Your order ships today',
      threadKey: threadId,
      recipient: { externalId: `visitor:${threadId}` },
    },
  },
});

describe(WebchatConnector.name, () => {
  it('hands a reply to the visitor channel and reports the inbox stopped once its session stops', async () => {
    const visitors = new RecordingVisitorChannel();
    const registry = new WebchatInboxRegistry();
    const sut = new WebchatConnector(registry, visitors);
    const context = {
      inboxId,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    } as unknown as Parameters<WebchatConnector['start']>[1];
    const session = await sut.start(
      {
        inboxId,
        name: 'Shop',
        version: 1,
        settings: { allowedOrigins: ['https://shop.example'], inboxKey: 'pk_x' },
        secrets: {},
      },
      context,
    );
    expect(registry.byPublicKey('pk_x')?.inboxId).toBe(inboxId);
    const reply = {
      messageId: randomUUID(),
      conversationId: randomUUID(),
      inboxId,
      channelType: 'webchat',
      recipient: { externalId: `visitor:${threadId}` },
      threadKey: threadId,
      text: 'Hi',
      attachments: [],
      references: [],
      sender: { type: 'operator' as const, name: 'Olga' },
      createdAt: new Date().toISOString(),
    };
    await expect(session.send(reply)).resolves.toEqual({ externalId: `webchat-out:${reply.messageId}` });
    expect(visitors.delivered).toEqual([reply]);
    await session.stop();
    expect(registry.byPublicKey('pk_x')).toBeUndefined();
    await expect(session.send(reply)).rejects.toBeInstanceOf(WebchatDeliveryError);
  });

  it('allows only the configured origins', () => {
    expect(
      WebchatInboxRegistry.allows({ allowedOrigins: ['https://shop.example'] }, 'https://shop.example'),
    ).toBe(true);
    expect(
      WebchatInboxRegistry.allows({ allowedOrigins: ['https://shop.example'] }, 'https://SHOP.example/'),
    ).toBe(true);
    expect(
      WebchatInboxRegistry.allows({ allowedOrigins: ['https://shop.example'] }, 'https://evil.example'),
    ).toBe(false);
    expect(
      WebchatInboxRegistry.allows({ allowedOrigins: ['https://shop.example'] }, 'http://shop.example'),
    ).toBe(false);
    expect(WebchatInboxRegistry.allows({ allowedOrigins: ['*'] }, 'https://any.example')).toBe(true);
  });
});
