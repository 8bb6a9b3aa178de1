import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, GrammyError, InputFile } from 'grammy';
import { FakeBotApi } from '../fake-bot-api';
import type { FakeBot } from '../fake-bot';

describe(FakeBotApi.name, () => {
  let sut: FakeBotApi;
  let bot: FakeBot;
  let api: Api;

  beforeEach(async () => {
    sut = await FakeBotApi.start();
    bot = sut.createBot({ webhookRetryDelayMs: 20 });
    api = new Api(bot.token, { apiRoot: sut.apiRoot });
  });

  afterEach(async () => {
    await sut.close();
  });

  it('answers getMe for a known token and 401 Unauthorized for an unknown one', async () => {
    await expect(api.getMe()).resolves.toMatchObject({ id: bot.info.id, is_bot: true, username: bot.info.username });
    const stranger = new Api('123:unknown', { apiRoot: sut.apiRoot });
    await expect(stranger.getMe()).rejects.toMatchObject({ error_code: 401, description: 'Unauthorized' });
  });

  it('keeps updates until getUpdates confirms them with a higher offset', async () => {
    const user = bot.user({ first_name: 'Ann' });
    const first = bot.sendText(user, 'one');
    const second = bot.sendText(user, 'two');

    expect((await api.getUpdates()).map((u) => u.update_id)).toEqual([first.update_id, second.update_id]);
    expect((await api.getUpdates()).map((u) => u.update_id)).toEqual([first.update_id, second.update_id]);
    expect((await api.getUpdates({ offset: first.update_id + 1 })).map((u) => u.update_id)).toEqual([second.update_id]);
    expect(await api.getUpdates({ offset: second.update_id + 1 })).toEqual([]);
    expect(bot.pendingUpdates).toHaveLength(0);
  });

  it('holds a long poll until an update arrives', async () => {
    const user = bot.user();
    const poll = api.getUpdates({ timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const update = bot.sendText(user, 'late');
    await expect(poll).resolves.toEqual([update]);
  });

  it('ends a waiting long poll with 409 when another getUpdates starts', async () => {
    const first = api.getUpdates({ timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = api.getUpdates({ timeout: 0 });
    await expect(first).rejects.toMatchObject({ error_code: 409 });
    await expect(second).resolves.toEqual([]);
  });

  it('posts updates to the webhook with the secret header and redelivers after a non-2xx answer', async () => {
    const received: { secret: string | undefined; updateId: number }[] = [];
    let answer = 500;
    const server: Server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const update = JSON.parse(Buffer.concat(chunks).toString()) as { update_id: number };
        received.push({ secret: request.headers['x-telegram-bot-api-secret-token'] as string | undefined, updateId: update.update_id });
        response.statusCode = answer;
        answer = 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await api.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 's3cret_token' });
      await expect(api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
      const update = bot.sendText(bot.user(), 'hi');

      await bot.waitFor(() => bot.pendingUpdates.length === 0, 5000, 'delivery');
      expect(received).toEqual([
        { secret: 's3cret_token', updateId: update.update_id },
        { secret: 's3cret_token', updateId: update.update_id },
      ]);
      expect(bot.deliveries.map((d) => d.status)).toEqual([500, 200]);
    } finally {
      await api.deleteWebhook();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('renders HTML parse mode like Telegram and refuses unescaped markup', async () => {
    const user = bot.user();
    bot.sendText(user, 'hello');
    const sent = await api.sendMessage(user.id, '<b>a &lt; b</b> &amp; c', { parse_mode: 'HTML' });
    expect(sent).toMatchObject({ text: 'a < b & c', entities: [{ type: 'bold', offset: 0, length: 5 }], chat: { id: user.id } });

    await expect(api.sendMessage(user.id, '<script>x</script>', { parse_mode: 'HTML' })).rejects.toMatchObject({
      error_code: 400,
      description: expect.stringContaining("can't parse entities") as unknown as string,
    });
  });

  it('numbers messages per chat and answers 400 for an unknown chat', async () => {
    const user = bot.user();
    const incoming = bot.sendText(user, 'hello');
    const reply = await api.sendMessage(user.id, 'hi', { reply_parameters: { message_id: incoming.message?.message_id ?? 0 } });
    expect(reply.message_id).toBe((incoming.message?.message_id ?? 0) + 1);
    expect(reply.reply_to_message?.message_id).toBe(incoming.message?.message_id);
    await expect(api.sendMessage(42, 'x')).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' });
  });

  it('accepts multipart uploads and serves them back through getFile and /file/bot<token>/<path>', async () => {
    const user = bot.user();
    const bytes = Buffer.from('\x89PNG fake image bytes');
    const sent = await api.sendPhoto(user.id, new InputFile(bytes, 'pic.png'), { caption: 'look' });
    expect(sent.caption).toBe('look');
    expect(bot.callsTo('sendPhoto')[0].files).toEqual(
      expect.objectContaining({ [Object.keys(bot.callsTo('sendPhoto')[0].files)[0]]: expect.objectContaining({ filename: 'pic.png', data: bytes }) }),
    );
    const file = await api.getFile(sent.photo?.[0].file_id ?? '');
    const download = await fetch(`${sut.apiRoot}/file/bot${bot.token}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    await expect(api.getFile('nope')).rejects.toMatchObject({ error_code: 400, description: 'Bad Request: invalid file_id' });
  });

  it('gives the programmed 429 with retry_after, and 403 for a user who blocked the bot', async () => {
    const user = bot.user();
    bot.failNext('sendMessage', { status: 429, retryAfter: 7 });
    const error = await api.sendMessage(user.id, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    await expect(api.sendMessage(user.id, 'x')).resolves.toMatchObject({ text: 'x' });

    bot.block(user.id);
    await expect(api.sendChatAction(user.id, 'typing')).rejects.toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  });
});
