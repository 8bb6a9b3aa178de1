import type { Bot } from 'grammy';
import { FakeBotApi } from '@switchboard/testing/fakes/telegram';
import { createTelegramBot } from '../telegram-bot.factory';
import type { TelegramUpdateProcessor } from '../telegram-update.processor';
import { TelegramWebhookReceiver } from '../telegram-webhook.receiver';
import { TelegramWebhookRegistry } from '../telegram-webhook.registry';

const update = (updateId: number, chatId: number) => ({ update_id: updateId, message: { message_id: updateId, date: 1, chat: { id: chatId, type: 'private' } } });

describe(TelegramWebhookReceiver.name, () => {
  function createSut() {
    const started: number[] = [];
    const finished: number[] = [];
    const release = new Map<number, () => void>();
    const fail = new Map<number, (error: Error) => void>();
    const processor = {
      process: jest.fn(async (updates: { update_id: number }[]) => {
        const id = updates[0].update_id;
        started.push(id);
        await new Promise<void>((resolve, reject) => {
          release.set(id, resolve);
          fail.set(id, reject);
        });
        finished.push(id);
      }),
    } as unknown as TelegramUpdateProcessor;
    const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const sut = new TelegramWebhookReceiver({} as Bot, processor, new TelegramWebhookRegistry(), logger, { inboxId: 'inbox', url: 'https://x/telegram/inbox/webhook', maxConnections: 40 });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    return { sut, started, finished, release, fail, tick };
  }

  it('emits the updates of one chat one after the other, in arrival order, and other chats meanwhile', async () => {
    const { sut, started, finished, release, tick } = createSut();
    const first = sut.handle(update(1, 100));
    const second = sut.handle(update(2, 100));
    const other = sut.handle(update(3, 200));
    await tick();
    expect(started).toEqual([1, 3]);

    release.get(3)?.();
    await other;
    expect(started).toEqual([1, 3]);

    release.get(1)?.();
    await first;
    await tick();
    expect(started).toEqual([1, 3, 2]);
    release.get(2)?.();
    await second;
    expect(finished).toEqual([3, 1, 2]);
  });

  it('a failed update of a chat does not block the next one', async () => {
    const { sut, release, fail, tick, started } = createSut();
    const first = sut.handle(update(1, 100));
    const second = sut.handle(update(2, 100));
    await tick();
    expect(started).toEqual([1]);

    fail.get(1)?.(new Error('broker not available'));
    await expect(first).rejects.toThrow('broker not available');
    await tick();
    expect(started).toEqual([1, 2]);
    release.get(2)?.();
    await expect(second).resolves.toBeUndefined();
  });

  it('uses a fresh random secret for every session', () => {
    const a = createSut().sut;
    const b = createSut().sut;
    expect(a.secretToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.secretToken).not.toBe(b.secretToken);
  });
});

describe(`${TelegramWebhookReceiver.name} start`, () => {
  it('explains a webhook URL Telegram refuses (UNSUPPORTED, not a retry loop) and leaves the registry', async () => {
    const api = await FakeBotApi.start();
    try {
      const fake = api.createBot();
      const registry = new TelegramWebhookRegistry();
      const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() };
      const processor = { process: jest.fn() } as unknown as TelegramUpdateProcessor;
      const sut = new TelegramWebhookReceiver(createTelegramBot(fake.token, { apiRoot: api.apiRoot, botInfo: fake.info, maxRetryAfterSeconds: 1 }), processor, registry, logger, {
        inboxId: 'inbox',
        url: 'ftp://example.com/telegram/inbox/webhook',
        maxConnections: 40,
      });

      await expect(sut.start()).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringContaining('Telegram refused the webhook URL ftp://example.com/telegram/inbox/webhook') });
      expect(registry.size).toBe(0);
    } finally {
      await api.close();
    }
  });
});
