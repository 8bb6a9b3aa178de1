import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { User } from 'grammy/types';
import type { FakeBot } from '@switchboard/testing/fakes/telegram';
import { ConnectorProcess, EmitGate } from './support/connector-process';
import { freePort, TelegramTestEnvironment } from './support/telegram-test-environment';

/** a new bot and customer, served by an inbox in webhook mode */
async function startWebhookInbox(env: TelegramTestEnvironment, process: ConnectorProcess): Promise<{ inboxId: string; bot: FakeBot; user: User }> {
  const inboxId = randomUUID();
  const bot = env.api.createBot({ webhookRetryDelayMs: 300 });
  const user = bot.user({ first_name: 'Anna', last_name: 'Kowalska', username: 'anna_k', language_code: 'pl' });
  await env.publishInbox(inboxId, 1, { mode: 'webhook' }, bot.token);
  await process.running(inboxId, 1);
  return { inboxId, bot, user };
}

/** Webhook mode on real Kafka, against the fake Bot API, with the real webhook controller. */
describe('Telegram webhook mode (real Kafka, fake Bot API)', () => {
  let env: TelegramTestEnvironment;
  let port: number;
  let connector: ConnectorProcess;

  beforeAll(async () => {
    env = await TelegramTestEnvironment.start('tgwebhook');
    port = await freePort();
    connector = await ConnectorProcess.start(env, { port });
  });

  afterAll(async () => {
    await connector?.stop();
    await env?.stop();
  });

  const webhookInbox = () => startWebhookInbox(env, connector);

  it('sets the webhook with a random secret and stores a POSTed update on Kafka before answering 200', async () => {
    const { inboxId, bot, user } = await webhookInbox();
    expect(bot.webhook).toMatchObject({ url: `http://127.0.0.1:${port}/telegram/${inboxId}/webhook`, secretToken: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/) });
    expect(bot.callsTo('setWebhook')[0].params).toMatchObject({ allowed_updates: ['message', 'edited_message'] });

    const update = bot.sendText(user, 'Where is my <order>?');
    const externalId = `${user.id}:${update.message?.message_id}`;
    const [record] = await env.waitForInbound(inboxId, externalId);

    expect(record.key).toBe(`${inboxId}:${user.id}`);
    expect(record.event?.data).toMatchObject({
      externalId,
      threadKey: String(user.id),
      text: 'Where is my <order>?',
      sender: { externalId: String(user.id), displayName: 'Anna Kowalska', username: 'anna_k', language: 'pl' },
    });
    await bot.waitFor(() => bot.pendingUpdates.length === 0, 15_000, 'the update to be confirmed');
    expect(bot.deliveries.filter((d) => d.updateId === update.update_id).map((d) => d.status)).toEqual([200]);
  });

  it('answers 401 without the right X-Telegram-Bot-Api-Secret-Token and 404 for an inbox it does not serve, publishing nothing', async () => {
    const { inboxId, bot, user } = await webhookInbox();
    const forged = { update_id: 1, message: { message_id: 999_999, date: 1732351020, chat: { id: user.id, type: 'private', first_name: 'Anna' }, from: user, text: 'forged' } };

    const wrong = await request(`http://127.0.0.1:${port}`).post(`/telegram/${inboxId}/webhook`).set('X-Telegram-Bot-Api-Secret-Token', 'guess').send(forged).expect(401);
    expect(wrong.body).toMatchObject({ error: { code: 'WEBHOOK_SECRET_MISMATCH' } });
    await request(`http://127.0.0.1:${port}`).post(`/telegram/${inboxId}/webhook`).send(forged).expect(401);
    const unknown = await request(`http://127.0.0.1:${port}`).post(`/telegram/${randomUUID()}/webhook`).set('X-Telegram-Bot-Api-Secret-Token', bot.webhook?.secretToken ?? '').send(forged).expect(404);
    expect(unknown.body).toMatchObject({ error: { code: 'INBOX_NOT_SERVED' } });

    // a genuine update sent afterwards is on Kafka; the forged one never got there
    const genuine = bot.sendText(user, 'genuine');
    await env.waitForInbound(inboxId, `${user.id}:${genuine.message?.message_id}`);
    expect(env.inbound(inboxId, `${user.id}:999999`)).toEqual([]);
  });

  it('publishes an update Telegram delivers twice twice, with the same externalId (the inbox dedupes on it)', async () => {
    const { inboxId, bot, user } = await webhookInbox();
    const update = bot.sendText(user, 'hello twice');
    bot.deliverAgain(update);
    const externalId = `${user.id}:${update.message?.message_id}`;

    const records = await env.waitForInbound(inboxId, externalId, 2);

    expect(records.map((r) => (r.event?.data as { externalId: string }).externalId)).toEqual([externalId, externalId]);
    expect(new Set(records.map((r) => r.key))).toEqual(new Set([`${inboxId}:${user.id}`]));
  });

  it('publishes an edited message as an edit of the same externalId', async () => {
    const { inboxId, bot, user } = await webhookInbox();
    const original = bot.sendText(user, 'my order is A-1024');
    await env.waitForInbound(inboxId, `${user.id}:${original.message?.message_id}`);
    bot.editText(original.message as NonNullable<typeof original.message>, 'my order is A-1042');

    const [edit] = await env.probe.waitFor('the edit', (r) => (r.event?.data as { inboxId?: string; text?: string }).inboxId === inboxId && r.event?.type.includes('edited') === true);
    expect(edit.event?.data).toMatchObject({ externalId: `${user.id}:${original.message?.message_id}`, text: 'my order is A-1042' });
  });

  it('switches to polling live (deleteWebhook, getUpdates) and back to webhook with a new secret', async () => {
    const { inboxId, bot, user } = await webhookInbox();
    const firstSecret = bot.webhook?.secretToken;

    await env.publishInbox(inboxId, 2, { mode: 'polling' }, bot.token);
    await connector.running(inboxId, 2);
    expect(bot.webhook).toBeNull();
    expect(bot.callsTo('deleteWebhook').length).toBeGreaterThan(0);
    const polled = bot.sendText(user, 'sent while polling');
    await env.waitForInbound(inboxId, `${user.id}:${polled.message?.message_id}`);
    expect(bot.callsTo('getUpdates').length).toBeGreaterThan(0);

    await env.publishInbox(inboxId, 3, { mode: 'webhook' }, bot.token);
    await connector.running(inboxId, 3);
    expect(bot.webhook?.secretToken).toBeDefined();
    expect(bot.webhook?.secretToken).not.toBe(firstSecret);
    const pushed = bot.sendText(user, 'sent after switching back');
    await env.waitForInbound(inboxId, `${user.id}:${pushed.message?.message_id}`);
    // the 200 reaches Telegram just after the event reached Kafka
    await bot.waitFor(() => bot.deliveries.some((d) => d.updateId === pushed.update_id && d.status === 200), 15_000, 'the webhook delivery to be answered 200');
  });
});

/** A crash needs the connector to itself: no other process may serve (and set the webhook of) the same inbox. */
describe('Telegram webhook mode: a connector dying before the acknowledgement (real Kafka, fake Bot API)', () => {
  let env: TelegramTestEnvironment;

  beforeAll(async () => {
    env = await TelegramTestEnvironment.start('tgwebhookkill');
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('when the connector dies between receiving and acknowledging, Telegram delivers again and the event carries the same externalId', async () => {
    const killPort = await freePort();
    const gate = new EmitGate();
    gate.close();
    const first = await ConnectorProcess.start(env, { port: killPort, gate });
    let second: ConnectorProcess | undefined;
    try {
      const { inboxId, bot, user } = await startWebhookInbox(env, first);
      const secretBefore = bot.webhook?.secretToken;
      const update = bot.sendText(user, 'please do not lose me');
      const externalId = `${user.id}:${update.message?.message_id}`;
      await bot.waitFor(() => gate.held === 1, 15_000, 'the connector to receive the update');

      await first.kill();

      // never acknowledged: Telegram still holds it and nothing reached Kafka
      expect(bot.pendingUpdates.map((u) => u.update_id)).toContain(update.update_id);
      expect(env.inbound(inboxId, externalId)).toEqual([]);

      second = await ConnectorProcess.start(env, { port: killPort });
      await second.running(inboxId, 1);
      const records = await env.waitForInbound(inboxId, externalId);

      expect(records).toHaveLength(1);
      expect(bot.webhook?.secretToken).not.toBe(secretBefore);
      // the 200 reaches Telegram just after the event reached Kafka
      await bot.waitFor(() => !bot.pendingUpdates.some((u) => u.update_id === update.update_id), 15_000, 'the redelivery to be confirmed');
      const attempts = bot.deliveries.filter((d) => d.updateId === update.update_id);
      expect(attempts[0].status === null || attempts[0].status >= 400).toBe(true);
      expect(attempts[attempts.length - 1].status).toBe(200);
    } finally {
      await second?.stop();
    }
  });
});
