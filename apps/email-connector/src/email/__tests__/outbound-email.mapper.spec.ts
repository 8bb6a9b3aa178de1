import { outboundMessageSchema, type OutboundMessage, type OutboundMessageInput } from '@switchboard/common';
import { MemoryBlobStore } from '@switchboard/connector-sdk/testing';
import type { Readable } from 'node:stream';
import { OutboundEmailMapper } from '../outbound-email.mapper';

function outbound(overrides: Partial<OutboundMessageInput> = {}): OutboundMessage {
  return outboundMessageSchema.parse({
    messageId: '0190f3c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f',
    conversationId: '0190f3c2-0000-7000-8000-000000000001',
    inboxId: '5d0c1f2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f',
    channelType: 'email',
    recipient: { externalId: 'alice.customer@gmail.test', displayName: 'Alice Customer', email: 'alice.customer@gmail.test' },
    threadKey: '<CAF=first-msg@mail.gmail.test>',
    subject: 'Re: Re: RE: Order #1042 has not arrived',
    text: 'Hello Alice, it ships today.',
    html: '<p>Hello Alice, it ships <b>today</b>.</p>',
    inReplyTo: '<CAF=xk2Yp0q1@mail.gmail.test>',
    references: ['<CAF=first-msg@mail.gmail.test>'],
    replyToken: 'r4kfz7m2nq3xw5y6a7b8c9d2e3f4',
    sender: { type: 'operator', id: '0190f3c2-0000-7000-8000-00000000000a', name: 'Olga' },
    createdAt: '2024-03-12T10:00:00.000Z',
    ...overrides,
  });
}

async function read(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

describe(OutboundEmailMapper.name, () => {
  const sut = new OutboundEmailMapper({ address: 'support@acme.test', fromName: 'Acme Support' });
  let blobs: MemoryBlobStore;

  beforeEach(() => {
    blobs = new MemoryBlobStore();
  });

  it('sets our Message-ID, In-Reply-To, References (chain + In-Reply-To), Reply-To with the token, one Re:', async () => {
    const email = await sut.map(outbound(), blobs);
    expect(email).toMatchObject({
      from: { name: 'Acme Support', address: 'support@acme.test' },
      to: { name: 'Alice Customer', address: 'alice.customer@gmail.test' },
      replyTo: { name: 'Acme Support', address: 'support+r4kfz7m2nq3xw5y6a7b8c9d2e3f4@acme.test' },
      subject: 'Re: Order #1042 has not arrived',
      messageId: '<0190f3c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f@acme.test>',
      inReplyTo: '<CAF=xk2Yp0q1@mail.gmail.test>',
      references: ['<CAF=first-msg@mail.gmail.test>', '<CAF=xk2Yp0q1@mail.gmail.test>'],
      text: 'Hello Alice, it ships today.',
      html: '<p>Hello Alice, it ships <b>today</b>.</p>',
      envelope: { from: 'support@acme.test', to: ['alice.customer@gmail.test'] },
      headers: {},
    });
  });

  it('gives the same outbound message the same Message-ID every time (a retried send is the same mail)', async () => {
    expect((await sut.map(outbound(), blobs)).messageId).toBe((await sut.map(outbound(), blobs)).messageId);
    expect(sut.messageIdOf({ messageId: 'abc' })).toBe('<abc@acme.test>');
  });

  it('keeps the subject of a new conversation and adds no threading headers', async () => {
    const email = await sut.map(outbound({ inReplyTo: undefined, references: [], subject: 'Re: your question', replyToken: undefined }), blobs);
    expect(email.subject).toBe('Re: your question');
    expect(email.inReplyTo).toBeUndefined();
    expect(email.references).toBeUndefined();
    expect(email.replyTo).toBeUndefined();
  });

  it.each([
    ['AW: Bestellung', 'Re: Bestellung'],
    ['Ответ: Re: Заказ', 'Re: Заказ'],
    ['RE[2]: status', 'Re: status'],
    ['پاسخ: سفارش', 'Re: سفارش'],
    ['', 'Re:'],
    ['Re: Fwd: docs', 'Re: Fwd: docs'],
  ])('turns the reply subject %j into %j', (subject, expected) => {
    expect(sut.subject(subject, true)).toBe(expected);
  });

  it('marks what a bot sends as Auto-Submitted: auto-replied', async () => {
    const email = await sut.map(outbound({ sender: { type: 'bot', name: 'Helper' } }), blobs);
    expect(email.headers).toEqual({ 'Auto-Submitted': 'auto-replied' });
  });

  it('leaves Reply-To out when the token cannot live in an address', async () => {
    const email = await sut.map(outbound({ replyToken: 'has spaces/and+plus' }), blobs);
    expect(email.replyTo).toBeUndefined();
  });

  it('drops ids that are not Message-IDs and does not repeat In-Reply-To', async () => {
    const email = await sut.map(outbound({ references: ['<a@x>', 'garbage', '<CAF=xk2Yp0q1@mail.gmail.test>', '<b@x>'] }), blobs);
    expect(email.references).toEqual(['<a@x>', '<b@x>', '<CAF=xk2Yp0q1@mail.gmail.test>']);
  });

  it('streams attachments from the blob store', async () => {
    const ref = await blobs.put({ name: 'label.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-label') });
    const email = await sut.map(outbound({ attachments: [ref] }), blobs);
    expect(email.attachments.map((a) => [a.filename, a.contentType])).toEqual([['label.pdf', 'application/pdf']]);
    expect(await read(email.attachments[0].content)).toBe('%PDF-label');
  });

  it('refuses a recipient without an email address as INVALID_PAYLOAD', async () => {
    await expect(sut.map(outbound({ recipient: { externalId: 'telegram:123' } }), blobs)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('fails with NOT_FOUND when an attachment blob is gone', async () => {
    const missing = { key: 'memory/gone', name: 'x.pdf', size: 1, contentType: 'application/pdf', sha256: 'a'.repeat(64) };
    await expect(sut.map(outbound({ attachments: [missing] }), blobs)).rejects.toMatchObject({ name: 'BlobNotFoundError' });
  });
});
