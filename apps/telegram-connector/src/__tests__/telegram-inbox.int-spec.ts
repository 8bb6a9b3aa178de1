import type { User } from 'grammy/types';
import type { FakeBot } from '@switchboard/testing/fakes/telegram';
import { eventually, seedInbox, startInboxHarness, type InboxHarness } from '../../../inbox/src/__tests__/support/inbox-harness';
import { ConnectorProcess, EmitGate } from '../telegram/__tests__/support/connector-process';
import { freePort, TelegramTestEnvironment } from '../telegram/__tests__/support/telegram-test-environment';

/**
 * Telegram → connector → Kafka → the real inbox service (Postgres): the inbox's unique
 * (inbox_id, external_id) turns an update Telegram delivered twice into one stored message.
 */
let harness: InboxHarness;
let env: TelegramTestEnvironment;

beforeAll(async () => {
  harness = await startInboxHarness();
  env = await TelegramTestEnvironment.start('tginbox', { topicPrefix: harness.env.KAFKA_TOPIC_PREFIX });
}, 180_000);

afterAll(async () => {
  await env?.stop();
  await harness?.close();
});

async function webhookInbox(process: ConnectorProcess): Promise<{ inboxId: string; bot: FakeBot; user: User }> {
  const inboxId = await seedInbox(harness.db, { channelType: 'telegram', name: 'Telegram support' });
  const bot = env.api.createBot({ webhookRetryDelayMs: 300 });
  const user = bot.user({ first_name: 'Olek', username: 'olek' });
  await env.publishInbox(inboxId, 1, { mode: 'webhook' }, bot.token);
  await process.running(inboxId, 1);
  return { inboxId, bot, user };
}

/** the inbox's rows once `markerExternalId` is stored (everything published before it was handled) */
async function storedMessages(inboxId: string, markerExternalId: string): Promise<{ externalId: string; text: string }[]> {
  return eventually(
    async () => {
      const rows = await harness.db.run((sql) =>
        sql.rows<{ externalId: string; text: string }>(`SELECT external_id AS "externalId", text FROM messages WHERE inbox_id = $1 ORDER BY created_at, id`, [inboxId]),
      );
      return rows.some((row) => row.externalId === markerExternalId) ? rows : undefined;
    },
    60_000,
    `message ${markerExternalId} stored`,
  );
}

describe('Telegram updates stored by the inbox service (real Kafka + Postgres)', () => {
  it('stores an update delivered twice once', async () => {
    const connector = await ConnectorProcess.start(env, { port: await freePort() });
    try {
      const { inboxId, bot, user } = await webhookInbox(connector);
      const update = bot.sendText(user, 'my parcel is late');
      bot.deliverAgain(update);
      const externalId = `${user.id}:${update.message?.message_id}`;
      await env.waitForInbound(inboxId, externalId, 2);
      const marker = bot.sendText(user, 'marker');

      const rows = await storedMessages(inboxId, `${user.id}:${marker.message?.message_id}`);

      expect(rows.filter((row) => row.externalId === externalId)).toEqual([{ externalId, text: 'my parcel is late' }]);
    } finally {
      await connector.stop();
    }
  });

  it('stores once an update the connector received, died on before the acknowledgement, and got again', async () => {
    const port = await freePort();
    const gate = new EmitGate();
    const first = await ConnectorProcess.start(env, { port, gate });
    let second: ConnectorProcess | undefined;
    try {
      const { inboxId, bot, user } = await webhookInbox(first);
      gate.close();
      const update = bot.sendText(user, 'do not lose me');
      const externalId = `${user.id}:${update.message?.message_id}`;
      await bot.waitFor(() => gate.held === 1, 15_000, 'the connector to receive the update');
      await first.kill();

      second = await ConnectorProcess.start(env, { port });
      await second.running(inboxId, 1);
      await env.waitForInbound(inboxId, externalId);
      const marker = bot.sendText(user, 'marker');
      const rows = await storedMessages(inboxId, `${user.id}:${marker.message?.message_id}`);

      expect(rows.filter((row) => row.externalId === externalId)).toEqual([{ externalId, text: 'do not lose me' }]);
    } finally {
      await second?.stop();
    }
  });
});
