import { randomUUID } from 'node:crypto';
import type { User } from 'grammy/types';
import type { FakeBot } from '@switchboard/testing/fakes/telegram';
import { ConnectorProcess } from './support/connector-process';
import { freePort, TelegramTestEnvironment } from './support/telegram-test-environment';

/** Outbound through Kafka: channel.telegram.outbound.v1 → the fake Bot API → receipts on inbox.delivery.v1. */
describe('Telegram outbound (real Kafka, fake Bot API)', () => {
  let env: TelegramTestEnvironment;
  let connector: ConnectorProcess;
  let inboxId: string;
  let bot: FakeBot;

  beforeAll(async () => {
    env = await TelegramTestEnvironment.start('tgoutbound');
    connector = await ConnectorProcess.start(env, { port: await freePort(), connector: { maxRetryAfterSeconds: 3 } });
    inboxId = randomUUID();
    bot = env.api.createBot();
    await env.publishInbox(inboxId, 1, { mode: 'polling' }, bot.token);
    await connector.running(inboxId, 1);
  });

  afterAll(async () => {
    await connector?.stop();
    await env?.stop();
  });

  /** a customer who wrote first (Telegram bots cannot start chats) */
  function customer(): { user: User; chatId: string; firstMessageId: number } {
    const user = bot.user({ first_name: 'Eva' });
    const update = bot.sendText(user, 'hello');
    return { user, chatId: String(user.id), firstMessageId: update.message?.message_id ?? 0 };
  }

  it('sends escaped text as a reply and reports the Telegram message id', async () => {
    const { chatId, firstMessageId } = customer();
    const message = await env.sendOutbound({ inboxId, threadKey: chatId, recipient: { externalId: chatId }, text: 'Order <A-1042> ships Monday & arrives Tuesday', inReplyTo: `${chatId}:${firstMessageId}` });

    const receipt = await env.waitForReceipt(message.messageId);

    const call = bot.callsTo('sendMessage').find((c) => c.params.chat_id === chatId);
    expect(call?.params).toMatchObject({
      parse_mode: 'HTML',
      text: 'Order &lt;A-1042&gt; ships Monday &amp; arrives Tuesday',
      reply_parameters: { message_id: firstMessageId },
    });
    expect(receipt).toMatchObject({ status: 'sent', messageId: message.messageId, conversationId: message.conversationId, externalId: `${chatId}:${firstMessageId + 1}` });
  });

  it('sends an attachment from the blob store as a photo with the caption', async () => {
    const { chatId } = customer();
    const image = await env.blobs.put({ name: 'label.png', contentType: 'image/png', data: Buffer.from('png: return label') });
    const message = await env.sendOutbound({ inboxId, threadKey: chatId, recipient: { externalId: chatId }, text: 'Your return label', attachments: [image] });

    const receipt = await env.waitForReceipt(message.messageId);

    const [call] = bot.callsTo('sendPhoto').filter((c) => c.params.chat_id === chatId);
    expect(call.params).toMatchObject({ caption: 'Your return label' });
    expect(Object.values(call.files)).toEqual([expect.objectContaining({ filename: 'label.png', data: Buffer.from('png: return label') })]);
    expect(receipt).toMatchObject({ status: 'sent', externalId: expect.stringMatching(new RegExp(`^${chatId}:\\d+$`)) });
  });

  it('shows "typing" in the chat', async () => {
    const { chatId } = customer();
    await env.sendTyping(inboxId, chatId, randomUUID());
    const call = await bot.waitFor(() => bot.callsTo('sendChatAction').find((c) => c.params.chat_id === chatId), 30_000, 'sendChatAction');
    expect(call.params).toMatchObject({ action: 'typing' });
  });

  it('waits out a 429 and sends the message exactly once', async () => {
    const { chatId } = customer();
    bot.failNext('sendMessage', { status: 429, retryAfter: 1 });
    const message = await env.sendOutbound({ inboxId, threadKey: chatId, recipient: { externalId: chatId }, text: 'after the flood limit' });

    const receipt = await env.waitForReceipt(message.messageId);

    expect(receipt).toMatchObject({ status: 'sent' });
    const calls = bot.callsTo('sendMessage').filter((c) => c.params.text === 'after the flood limit');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
  });

  it('fails permanently with the reason when the user blocked the bot', async () => {
    const { user, chatId } = customer();
    bot.block(user.id);
    const message = await env.sendOutbound({ inboxId, threadKey: chatId, recipient: { externalId: chatId }, text: 'are you there?' });

    const receipt = await env.waitForReceipt(message.messageId);

    expect(receipt).toMatchObject({ status: 'failed', code: 'PERMISSION', reason: 'Forbidden: bot was blocked by the user', permanent: true });
    expect(bot.callsTo('sendMessage').filter((c) => c.params.chat_id === chatId).map((c) => c.status)).toEqual([403]);
  });
});
