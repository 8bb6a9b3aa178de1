import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createServiceApp, loadConfig } from '@switchboard/common';
import { kafkaBrokers } from '@switchboard/testing';
import { TelegramConnectorAppModule } from '../app.module';
import { TelegramConnectorRuntime } from '../telegram/telegram-connector.runtime';
import { freePort, TelegramTestEnvironment } from '../telegram/__tests__/support/telegram-test-environment';
import { telegramConnectorConfigSchema } from '../telegram-connector.config';

/** The whole telegram-connector service (config → Nest app → host on Kafka → webhook) against the fake Bot API. */
describe('telegram-connector service (webhook mode, real Kafka, fake Bot API)', () => {
  let env: TelegramTestEnvironment;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    env = await TelegramTestEnvironment.start('tgapp');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = loadConfig(telegramConnectorConfigSchema, {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: env.topicPrefix,
      KAFKA_PARTITIONS: '3',
      SECRETS_KEY: env.secretsKey.toString('base64'),
      BLOB_DIR: env.blobDir,
      PUBLIC_URL: url,
      TELEGRAM_API_ROOT: env.api.apiRoot,
    });
    app = await createServiceApp(TelegramConnectorAppModule.forRoot(config));
    await app.listen(port, '127.0.0.1');
    await app.get(TelegramConnectorRuntime).started;
  });

  afterAll(async () => {
    await app?.close();
    await env?.stop();
  });

  it('serves an inbox published on inbox.channels.v1: webhook at PUBLIC_URL, updates to Kafka, wrong secret 401, replies sent', async () => {
    const inboxId = randomUUID();
    const bot = env.api.createBot({ webhookRetryDelayMs: 300 });
    const user = bot.user({ first_name: 'Lena', username: 'lena' });
    await env.publishInbox(inboxId, 1, { mode: 'webhook' }, bot.token);

    await bot.waitFor(() => bot.webhook, 30_000, 'setWebhook');
    expect(bot.webhook?.url).toBe(`${url}/telegram/${inboxId}/webhook`);

    const update = bot.sendText(user, 'hi from Telegram');
    const [record] = await env.waitForInbound(inboxId, `${user.id}:${update.message?.message_id}`);
    expect(record.event?.data).toMatchObject({ text: 'hi from Telegram', sender: { username: 'lena' } });

    const refused = await request(url).post(`/telegram/${inboxId}/webhook`).set('X-Telegram-Bot-Api-Secret-Token', 'nope').send({ update_id: 1 }).expect(401);
    expect(refused.body).toEqual({ error: { code: 'WEBHOOK_SECRET_MISMATCH', message: expect.any(String), details: {} } });

    const reply = await env.sendOutbound({ inboxId, threadKey: String(user.id), recipient: { externalId: String(user.id) }, text: 'hello Lena' });
    await expect(env.waitForReceipt(reply.messageId)).resolves.toMatchObject({ status: 'sent', externalId: `${user.id}:${(update.message?.message_id ?? 0) + 1}` });

    const ready = await request(url).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ checks: { telegram: { status: 'up' } } });
  });
});
