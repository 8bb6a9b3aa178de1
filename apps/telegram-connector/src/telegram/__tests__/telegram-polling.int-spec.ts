import { randomUUID } from 'node:crypto';
import type { User } from 'grammy/types';
import { Topics } from '@switchboard/common';
import type { FakeBot } from '@switchboard/testing/fakes/telegram';
import { ConnectorProcess, EmitGate } from './support/connector-process';
import { freePort, TelegramTestEnvironment } from './support/telegram-test-environment';

/** Long-polling mode on real Kafka: offsets in connector.offsets.v1, advanced only after acknowledgement. */
describe('Telegram polling mode (real Kafka, fake Bot API)', () => {
  let env: TelegramTestEnvironment;

  beforeAll(async () => {
    env = await TelegramTestEnvironment.start('tgpolling');
  });

  afterAll(async () => {
    await env?.stop();
  });

  async function pollingInbox(process: ConnectorProcess): Promise<{ inboxId: string; bot: FakeBot; user: User }> {
    const inboxId = randomUUID();
    const bot = env.api.createBot();
    const user = bot.user({ first_name: 'Jan', username: 'jan_n', language_code: 'cs' });
    await env.publishInbox(inboxId, 1, { mode: 'polling' }, bot.token);
    await process.running(inboxId, 1);
    return { inboxId, bot, user };
  }

  function storedOffset(inboxId: string): unknown {
    const records = env.probe.of(Topics.connectorOffsets).filter((r) => r.key === `telegram-bot:${inboxId}`);
    return (records[records.length - 1]?.event?.data as { position?: unknown } | undefined)?.position;
  }

  it('commits the offset after the events are on Kafka and resumes from it after a restart', async () => {
    const first = await ConnectorProcess.start(env, { port: await freePort() });
    let second: ConnectorProcess | undefined;
    try {
      const { inboxId, bot, user } = await pollingInbox(first);
      const a = bot.sendText(user, 'first');
      const b = bot.sendText(user, 'second');
      await env.waitForInbound(inboxId, `${user.id}:${b.message?.message_id}`);
      await env.probe.waitFor('the offset after b', (r) => r.key === `telegram-bot:${inboxId}` && (r.event?.data as { position?: { updateId?: number } }).position?.updateId === b.update_id);
      await first.stop();

      const c = bot.sendText(user, 'third, while the connector was down');
      const callsBefore = bot.callsTo('getUpdates').length;
      second = await ConnectorProcess.start(env, { port: await freePort() });
      await second.running(inboxId, 1);
      await env.waitForInbound(inboxId, `${user.id}:${c.message?.message_id}`);

      expect(bot.callsTo('getUpdates')[callsBefore].params).toMatchObject({ offset: b.update_id + 1 });
      expect(env.inbound(inboxId, `${user.id}:${a.message?.message_id}`)).toHaveLength(1);
      expect(env.inbound(inboxId, `${user.id}:${b.message?.message_id}`)).toHaveLength(1);
      expect(env.inbound(inboxId).map((r) => (r.event?.data as { text: string }).text)).toEqual(['first', 'second', 'third, while the connector was down']);
    } finally {
      await second?.stop();
    }
  });

  it('when the connector dies between receiving and acknowledging, the offset stays and the update is read again with the same externalId', async () => {
    const gate = new EmitGate();
    const first = await ConnectorProcess.start(env, { port: await freePort(), gate });
    let second: ConnectorProcess | undefined;
    try {
      const { inboxId, bot, user } = await pollingInbox(first);
      const before = bot.sendText(user, 'acknowledged');
      await env.waitForInbound(inboxId, `${user.id}:${before.message?.message_id}`);
      await env.probe.waitFor('the offset', (r) => r.key === `telegram-bot:${inboxId}` && (r.event?.data as { position?: { updateId?: number } }).position?.updateId === before.update_id);

      gate.close();
      const update = bot.sendText(user, 'received, never acknowledged');
      const externalId = `${user.id}:${update.message?.message_id}`;
      await bot.waitFor(() => gate.held === 1, 15_000, 'the connector to receive the update');
      await first.kill();

      expect(storedOffset(inboxId)).toEqual({ updateId: before.update_id });
      expect(bot.pendingUpdates.map((u) => u.update_id)).toContain(update.update_id);

      second = await ConnectorProcess.start(env, { port: await freePort() });
      await second.running(inboxId, 1);
      const records = await env.waitForInbound(inboxId, externalId);
      expect(records).toHaveLength(1);
      await env.probe.waitFor('the offset after the redelivered update', (r) => r.key === `telegram-bot:${inboxId}` && (r.event?.data as { position?: { updateId?: number } }).position?.updateId === update.update_id);
    } finally {
      await second?.stop();
    }
  });

  it('waits out a 429 on getUpdates and on getFile and loses nothing', async () => {
    const process = await ConnectorProcess.start(env, { port: await freePort() });
    try {
      const { inboxId, bot, user } = await pollingInbox(process);
      bot.failNext('getUpdates', { status: 429, retryAfter: 1 });
      bot.failNext('getFile', { status: 429, retryAfter: 1 });
      // The poll already waiting answers 200; the 429 goes to the next one. Wait for it, so the
      // messages below arrive while the connector is told to hold off (and the check further down
      // does not race the poll that would have got the 429 after both messages were through).
      await bot.waitFor(() => bot.callsTo('getUpdates').some((c) => c.status === 429), 15_000, 'a getUpdates answered with 429');
      const text = bot.sendText(user, 'text during the rate limit');
      const photo = bot.sendPhoto(user, Buffer.from('jpeg bytes of the damaged box'), { caption: 'the box' });

      await env.waitForInbound(inboxId, `${user.id}:${text.message?.message_id}`);
      const [record] = await env.waitForInbound(inboxId, `${user.id}:${photo.message?.message_id}`);

      const data = record.event?.data as { text: string; attachments: { key: string; sha256: string; contentType: string }[] };
      expect(data.text).toBe('the box');
      expect(data.attachments).toHaveLength(1);
      expect((await env.blobs.get(data.attachments[0].key)).toString()).toBe('jpeg bytes of the damaged box');
      expect(bot.callsTo('getUpdates').some((c) => c.status === 429)).toBe(true);
      expect(bot.callsTo('getFile').map((c) => c.status)).toEqual([429, 200]);
    } finally {
      await process.stop();
    }
  });
});
