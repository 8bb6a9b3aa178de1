import { randomUUID } from 'node:crypto';
import type { User } from 'grammy/types';
import { OutboundMessage, outboundMessageSchema } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import { MemoryBlobStore } from '@switchboard/connector-sdk/testing';
import { FakeBot, FakeBotApi } from '@switchboard/testing/fakes/telegram';
import { createTelegramBot } from '../telegram-bot.factory';
import { TelegramOutboundSender } from '../telegram-outbound.sender';

const INBOX_ID = '0b7c9a52-3c1e-4f57-9a0e-2f3d4c5b6a71';

describe(TelegramOutboundSender.name, () => {
  let api: FakeBotApi;
  let bot: FakeBot;
  let user: User;
  let blobs: MemoryBlobStore;
  let sut: TelegramOutboundSender;

  function outbound(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
    return outboundMessageSchema.parse({
      messageId: randomUUID(),
      conversationId: randomUUID(),
      inboxId: INBOX_ID,
      channelType: 'telegram',
      recipient: { externalId: String(user.id) },
      threadKey: String(user.id),
      text: 'Hello',
      sender: { type: 'operator', name: 'Olga' },
      createdAt: new Date().toISOString(),
      ...overrides,
    });
  }

  beforeAll(async () => {
    api = await FakeBotApi.start();
  });

  afterAll(async () => {
    await api.close();
  });

  beforeEach(() => {
    bot = api.createBot();
    user = bot.user({ first_name: 'Anna', username: 'anna_k' });
    bot.sendText(user, 'hi, I need help');
    blobs = new MemoryBlobStore();
    sut = new TelegramOutboundSender(createTelegramBot(bot.token, { apiRoot: api.apiRoot, botInfo: bot.info, maxRetryAfterSeconds: 5 }).api, blobs);
  });

  it('sends text in HTML parse mode with <, > and & escaped, and answers <chat_id>:<message_id>', async () => {
    const text = 'Your code is <b>not</b> "a & b" -> 5 < 6';
    const result = await sut.send(outbound({ text }));

    const [call] = bot.callsTo('sendMessage');
    expect(call.params).toMatchObject({ chat_id: String(user.id), parse_mode: 'HTML', text: 'Your code is &lt;b&gt;not&lt;/b&gt; &quot;a &amp; b&quot; -&gt; 5 &lt; 6' });
    expect(call.status).toBe(200);
    expect(result).toEqual({ externalId: `${user.id}:2` });
  });

  it('replies to the message named by inReplyTo', async () => {
    await sut.send(outbound({ inReplyTo: `${user.id}:1` }));
    expect(bot.callsTo('sendMessage')[0].params).toMatchObject({ reply_parameters: { message_id: 1, allow_sending_without_reply: true } });
  });

  it('splits text longer than 4096 characters and answers the first message id', async () => {
    const text = `${'a'.repeat(4000)}\n${'b'.repeat(3000)}`;
    const result = await sut.send(outbound({ text }));
    const calls = bot.callsTo('sendMessage');
    expect(calls.map((c) => (c.params.text as string).length)).toEqual([4000, 3000]);
    expect(result.externalId).toBe(`${user.id}:2`);
  });

  it('sends an image as a photo with the text as caption, and a PDF as a document', async () => {
    const image = await blobs.put({ name: 'label.png', contentType: 'image/png', data: Buffer.from('png-bytes') });
    const pdf = await blobs.put({ name: 'invoice.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 bytes') });
    const result = await sut.send(outbound({ text: 'Label & invoice', attachments: [image, pdf] }));

    const [photo] = bot.callsTo('sendPhoto');
    expect(photo.params).toMatchObject({ caption: 'Label &amp; invoice', parse_mode: 'HTML' });
    expect(Object.values(photo.files)).toEqual([expect.objectContaining({ filename: 'label.png', data: Buffer.from('png-bytes') })]);
    const [document] = bot.callsTo('sendDocument');
    expect(document.params.caption).toBeUndefined();
    expect(Object.values(document.files)).toEqual([expect.objectContaining({ filename: 'invoice.pdf', data: Buffer.from('%PDF-1.4 bytes') })]);
    expect(bot.callsTo('sendMessage')).toHaveLength(0);
    expect(result.externalId).toBe(`${user.id}:2`);
  });

  it('sends text too long for a caption first, then the file', async () => {
    const image = await blobs.put({ name: 'label.jpg', contentType: 'image/jpeg', data: Buffer.from('jpg') });
    await sut.send(outbound({ text: 'x'.repeat(1500), attachments: [image] }));
    expect(bot.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto']);
  });

  it('shows "typing" in the chat', async () => {
    await sut.typing({ conversationId: randomUUID(), inboxId: INBOX_ID, channelType: 'telegram', recipient: { externalId: String(user.id) } });
    expect(bot.callsTo('sendChatAction')[0].params).toMatchObject({ chat_id: String(user.id), action: 'typing' });
  });

  it('waits out a 429 retry_after and then delivers, once', async () => {
    bot.failNext('sendMessage', { status: 429, retryAfter: 1 });
    const result = await sut.send(outbound({ text: 'after the limit' }));
    expect(bot.callsTo('sendMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(result.externalId).toBe(`${user.id}:2`);
  });

  it('gives RATE_LIMITED with retryAfterMs when retry_after is longer than it waits in place', async () => {
    bot.failNext('sendMessage', { status: 429, retryAfter: 60 });
    await expect(sut.send(outbound())).rejects.toMatchObject({ code: 'RATE_LIMITED', options: { retryAfterMs: 60_000 } });
  });

  it('fails with PERMISSION and the reason when the user blocked the bot', async () => {
    bot.block(user.id);
    const error = await sut.send(outbound()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'PERMISSION', message: 'Forbidden: bot was blocked by the user' });
  });

  it('fails with AUTH_INVALID when the token was revoked', async () => {
    api.revoke(bot.token);
    await expect(sut.send(outbound())).rejects.toMatchObject({ code: 'AUTH_INVALID' });
  });

  it('resumes a message that failed half way without sending its first part again', async () => {
    const image = await blobs.put({ name: 'a.png', contentType: 'image/png', data: Buffer.from('a') });
    const pdf = await blobs.put({ name: 'b.pdf', contentType: 'application/pdf', data: Buffer.from('b') });
    const message = outbound({ text: 'two files', attachments: [image, pdf] });
    bot.failNext('sendDocument', { status: 400, description: 'Bad Request: wrong file' });

    await expect(sut.send(message)).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    const result = await sut.send(message);
    const again = await sut.send(message);

    expect(bot.callsTo('sendPhoto')).toHaveLength(1);
    expect(bot.callsTo('sendDocument').map((c) => c.status)).toEqual([400, 200]);
    expect(again).toEqual(result);
  });

  it('refuses a message with nothing to send', async () => {
    await expect(sut.send(outbound({ text: '   ' }))).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    expect(bot.calls).toHaveLength(0);
  });
});
