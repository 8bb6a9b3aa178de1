import { inboundMessageSchema, type InboundMessage } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import { MemoryBlobStore } from '@switchboard/connector-sdk/testing';
import { InboundEmailMapper } from '../inbound-email.mapper';
import { fixture, FIXTURE_TOKEN, fixtureSource, runtimeConfig, type FixtureName } from './email-fixtures';

describe(InboundEmailMapper.name, () => {
  const config = runtimeConfig();
  let blobs: MemoryBlobStore;
  let sut: InboundEmailMapper;

  beforeEach(() => {
    blobs = new MemoryBlobStore();
    sut = new InboundEmailMapper();
  });

  const map = async (name: FixtureName, receivedAt?: Date): Promise<InboundMessage> =>
    inboundMessageSchema.parse(await sut.map({ ...fixture(name), receivedAt }, { inboxId: config.inboxId, settings: config.settings, blobs }));

  it('maps an English Gmail reply: addresses, ids, thread key, reply token from Delivered-To, quoted part', async () => {
    const message = await map('english-gmail-reply', new Date('2024-03-12T09:15:03Z'));
    expect(message).toMatchObject({
      externalId: '<CAF=xk2Yp0q1@mail.gmail.test>',
      threadKey: '<CAF=first-msg@mail.gmail.test>',
      inReplyTo: '<0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d@acme.test>',
      references: ['<CAF=first-msg@mail.gmail.test>', '<0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d@acme.test>'],
      sender: { externalId: 'alice.customer@gmail.test', email: 'alice.customer@gmail.test', displayName: 'Alice Customer' },
      subject: 'Re: Order #1042 has not arrived',
      sentAt: '2024-03-12T09:14:55.000Z',
      receivedAt: '2024-03-12T09:15:03.000Z',
      replyToken: FIXTURE_TOKEN,
      autoReply: false,
      participants: {
        to: [{ address: `support+${FIXTURE_TOKEN}@acme.test`, name: 'Acme Support' }],
        cc: [{ address: 'bob@partner.test', name: 'Bob Partner' }],
        replyTo: [],
      },
    });
    expect(message.text.startsWith('Thanks, the tracking number works now.')).toBe(true);
    expect(message.quotedText).toMatch(/^On Mon, Mar 11, 2024 at 4:02 PM Acme Support <support@acme.test> wrote:\n\n> Hello Alice,/);
    expect(message.text.endsWith(message.quotedText ?? '-')).toBe(true);
  });

  it('sanitizes the html: no script, handlers, javascript: urls; remote images are not loaded', async () => {
    const { html } = await map('english-gmail-reply');
    expect(html).toContain('<b>Berlin</b>');
    expect(html).not.toMatch(/<script|onclick|javascript:|steal\(\)/i);
    expect(html).toContain('data-remote-src="https://tracker.example/pixel.gif?u=42"');
    expect(html).not.toMatch(/\ssrc="https:/);
  });

  it('decodes windows-1251 (8bit) and separates the Thunderbird "… пишет:" quote', async () => {
    const message = await map('russian-windows-1251');
    expect(message.subject).toBe('Re: Возврат товара');
    expect(message.sender.displayName).toBe('Иван Петров');
    expect(message.text).toContain('Спасибо, посылка пришла, но коробка была повреждена.');
    expect(message.quotedText).toMatch(/^12\.03\.2024 16:02, Служба поддержки Acme пишет:\n> Добрый день, Иван!/);
    expect(message.threadKey).toBe('<ru-first-1251@yandex.test>');
    expect(message.replyToken).toBeUndefined();
  });

  it('decodes koi8-r quoted-printable and separates the Outlook "-----Исходное сообщение-----" block', async () => {
    const message = await map('russian-koi8r-qp');
    expect(message.subject).toBe('RE: Заказ');
    expect(message.sender.displayName).toBe('Мария Иванова');
    expect(message.text).toContain('Подскажите, когда будет доставка?');
    expect(message.quotedText).toMatch(/^-----Исходное сообщение-----\nОт: Acme <support@acme.test>/);
    expect(message.threadKey).toBe(message.externalId);
  });

  it('decodes iso-8859-5 in base64 (body, encoded-word subject and name)', async () => {
    const message = await map('iso-8859-5-base64');
    expect(message.subject).toBe('Вопрос по заказу 2077');
    expect(message.sender.displayName).toBe('Ольга');
    expect(message.text).toBe('Привет! Это письмо в кодировке ISO-8859-5.\nНомер заказа: 2077.');
    expect(message.quotedText).toBeUndefined();
  });

  it('separates the quote of a Persian Gmail reply ("… نوشت:" wrapped in RTL marks)', async () => {
    const message = await map('persian-reply');
    expect(message.sender.displayName).toBe('رضا احمدی');
    expect(message.subject).toBe('Re: سفارش ۳۰۵');
    expect(message.text.startsWith('سلام،\nممنون از پاسخ شما.')).toBe(true);
    expect(message.quotedText).toContain('نوشت:');
    expect(message.quotedText).toContain('> سفارش شما ارسال شد.');
    expect(message.quotedText).not.toContain('ممنون');
  });

  it('decodes utf-8 quoted-printable with soft line breaks and separates "-----Original Message-----"', async () => {
    const message = await map('quoted-printable-outlook');
    expect(message.sender.displayName).toBe('Jürgen Müller');
    expect(message.text).toContain('the invoice total is 1 250,00 € — could you double-check the VAT line? This line is long enough to be wrapped');
    expect(message.quotedText).toMatch(/^-----Original Message-----\nFrom: Acme Support/);
  });

  it('derives a stable content hash externalId when Message-ID is missing, ignoring trace headers', async () => {
    const first = await map('base64-html-no-message-id');
    const again = await map('base64-html-no-message-id');
    expect(first.externalId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(again.externalId).toBe(first.externalId);
    expect(first.threadKey).toBe(first.externalId);
    const relayed = Buffer.concat([Buffer.from('Received: from relay.test by mx.acme.test; Sun, 17 Mar 2024 10:00:05 +0000\r\n'), fixtureSource('base64-html-no-message-id')]);
    const viaRelay = await sut.map({ source: relayed }, { inboxId: config.inboxId, settings: config.settings, blobs });
    expect(viaRelay.externalId).toBe(first.externalId);
    const edited = Buffer.from(fixtureSource('base64-html-no-message-id').toString('latin1').replace('Help with my account', 'Help with my bill'), 'latin1');
    const other = await sut.map({ source: edited }, { inboxId: config.inboxId, settings: config.settings, blobs });
    expect(other.externalId).not.toBe(first.externalId);
  });

  it('takes receivedAt from the Received header when there is no INTERNALDATE', async () => {
    const message = await map('base64-html-no-message-id');
    expect(message.receivedAt).toBe('2024-03-17T10:00:00.000Z');
  });

  it('drops style sheets, frames, forms and CSS urls from html-only mail', async () => {
    const { html, text } = await map('base64-html-no-message-id');
    expect(html).toContain('<b>I need help</b>');
    expect(html).not.toMatch(/<style|<iframe|<form|<input|url\(|evil\.test/);
    expect(html).toContain('href="https://acme.test/help" target="_blank" rel="noopener noreferrer nofollow"');
    expect(text).toContain('Hello, I need help with my account.');
  });

  it('stores attachments within the limit, refuses the larger one with a reason, links the inline image', async () => {
    const message = await map('multipart-attachments');
    expect(message.attachments.map((a) => [a.name, a.contentType])).toEqual([
      ['photo.png', 'image/png'],
      ['receipt.pdf', 'application/pdf'],
    ]);
    expect(message.refusedAttachments).toEqual([
      expect.objectContaining({ name: 'видео запись.bin', size: 48 * 1024, contentType: 'application/octet-stream' }),
    ]);
    expect(message.refusedAttachments[0].reason).toMatch(/larger than this inbox's attachment limit of 32 KB/);
    const photo = message.attachments[0];
    expect(await blobs.get(photo.key)).toHaveLength(photo.size);
    expect(message.html).toContain(`data-blob-key="${photo.key}"`);
    expect(message.text).toBe('The item arrived broken, see the photo and the receipt.');
    expect(message.participants?.replyTo).toEqual([{ address: 'carol.private@home.test', name: 'Carol Private' }]);
  });

  it('stores every attachment when the limit allows it', async () => {
    const roomy = runtimeConfig({ maxAttachmentBytes: 1024 * 1024 });
    const message = await sut.map(fixture('multipart-attachments'), { inboxId: roomy.inboxId, settings: roomy.settings, blobs });
    expect(message.attachments).toHaveLength(3);
    expect(message.refusedAttachments).toEqual([]);
  });

  it('flags an out-of-office reply as autoReply and still reads its reply token', async () => {
    const message = await map('auto-reply');
    expect(message.autoReply).toBe(true);
    expect(message.channelMetadata).toMatchObject({ autoReplyReason: 'Auto-Submitted: auto-replied' });
    expect(message.replyToken).toBe(FIXTURE_TOKEN);
  });

  it('rejects a message without a header section as INVALID_PAYLOAD', async () => {
    await expect(map('malformed-no-headers')).rejects.toMatchObject({ code: 'INVALID_PAYLOAD', message: expect.stringContaining('no header section') });
  });

  it.each([
    ['an empty buffer', { source: Buffer.alloc(0) }],
    ['a string instead of a buffer', { source: 'From: a@b.c' as unknown as Buffer }],
    ['headers without a From address', { source: Buffer.from('Subject: hi\r\nTo: support@acme.test\r\n\r\nbody\r\n') }],
    ['a From without an address', { source: Buffer.from('From: Somebody\r\nSubject: hi\r\n\r\nbody\r\n') }],
  ])('rejects %s as INVALID_PAYLOAD', async (_name, raw) => {
    const result = sut.map(raw, { inboxId: config.inboxId, settings: config.settings, blobs });
    await expect(result).rejects.toBeInstanceOf(ConnectorError);
    await expect(result).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
  });

  it('truncates a huge text body so the event stays under Kafka’s record limit', async () => {
    const body = 'x'.repeat(400 * 1024);
    const source = Buffer.from(`From: big@client.test\r\nMessage-ID: <big@client.test>\r\nSubject: big\r\n\r\n${body}\r\n`);
    const message = await sut.map({ source }, { inboxId: config.inboxId, settings: config.settings, blobs });
    expect(Buffer.byteLength(message.text ?? '')).toBeLessThanOrEqual(200 * 1024);
    expect(message.channelMetadata).toMatchObject({ notes: [expect.stringContaining('truncated')] });
  });

  it('keeps the thread root and the newest 49 of a very long References chain, and at most 100 addresses per list', async () => {
    const refs = Array.from({ length: 120 }, (_, n) => `<r${n}@x.test>`);
    const to = Array.from({ length: 150 }, (_, n) => `user${n}@x.test`).join(', ');
    const source = Buffer.from(`From: a@client.test\r\nTo: ${to}\r\nMessage-ID: <long@client.test>\r\nReferences: ${refs.join(' ')}\r\n\r\nhi\r\n`);
    const message = await sut.map({ source }, { inboxId: config.inboxId, settings: config.settings, blobs });
    expect(message.references).toEqual([refs[0], ...refs.slice(71)]);
    expect(message.threadKey).toBe('<r0@x.test>');
    expect(message.participants?.to).toHaveLength(100);
  });

  it('looks for the reply token in Delivered-To / X-Original-To before To and Cc, ignoring other domains', async () => {
    const source = Buffer.from(
      'X-Original-To: support+envtoken1@acme.test\r\nFrom: a@client.test\r\nTo: support+totoken2@acme.test, sales+x@other.test\r\nCc: support+cctoken3@acme.test\r\nMessage-ID: <t@client.test>\r\n\r\nhi\r\n',
    );
    expect((await sut.map({ source }, { inboxId: config.inboxId, settings: config.settings, blobs })).replyToken).toBe('envtoken1');
    const toOnly = Buffer.from('From: a@client.test\r\nTo: sales+nottoken@other.test, SUPPORT+ToToken2@ACME.test\r\nMessage-ID: <u@client.test>\r\n\r\nhi\r\n');
    expect((await sut.map({ source: toOnly }, { inboxId: config.inboxId, settings: config.settings, blobs })).replyToken).toBe('totoken2');
  });
});
