import type { User } from 'grammy/types';
import type { FakeBot } from '@switchboard/testing/fakes/telegram';
import { newId } from '@switchboard/common/ids';
import request from 'supertest';
import {
  eventually,
  INTERNAL_TOKEN,
  seedInbox,
  seedOperator,
  startInboxHarness,
  type InboxHarness,
} from '../../../inbox/src/__tests__/support/inbox-harness';
import { ConnectorProcess } from '../telegram/__tests__/support/connector-process';
import { freePort, TelegramTestEnvironment } from '../telegram/__tests__/support/telegram-test-environment';

/**
 * An operator writes first on Telegram: POST /conversations on the real inbox service (Postgres +
 * Kafka) → the outbox → the Telegram connector → sendMessage on the fake Bot API → the receipt marks
 * it sent. A Telegram bot cannot message someone who never wrote to it, so the inbox refuses that
 * up front with a 422 instead of a delivery that can only fail.
 */
let harness: InboxHarness;
let env: TelegramTestEnvironment;
let connector: ConnectorProcess;
let inboxId: string;
let operatorId: string;
let bot: FakeBot;
let user: User;
let contactId: string;

const as = (id: string) => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': id, 'x-actor-role': 'operator', 'x-actor-name': encodeURIComponent('Ann Operator') });
const start = (body: Record<string, unknown>) => request(harness.url).post('/internal/v1/conversations').set(as(operatorId)).send({ inboxId, ...body });
const sendsTo = (chatId: number | string) => bot.callsTo('sendMessage').filter((call) => String(call.params.chat_id) === String(chatId));

beforeAll(async () => {
  harness = await startInboxHarness();
  env = await TelegramTestEnvironment.start('tgstart', { topicPrefix: harness.env.KAFKA_TOPIC_PREFIX });
  connector = await ConnectorProcess.start(env, { port: await freePort() });
  inboxId = await seedInbox(harness.db, { channelType: 'telegram', name: 'Telegram support' });
  operatorId = await seedOperator(harness.db, { name: 'Ann Operator', availability: 'offline' });
  await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [inboxId, operatorId]));
  bot = env.api.createBot({ webhookRetryDelayMs: 300 });
  await env.publishInbox(inboxId, 1, { mode: 'webhook' }, bot.token);
  await connector.running(inboxId, 1);

  // the customer wrote to the bot once before
  user = bot.user({ first_name: 'Olek', username: 'olek' });
  const update = bot.sendText(user, 'hi, is my parcel on its way?');
  const externalId = `${user.id}:${update.message?.message_id}`;
  contactId = await eventually(
    async () =>
      (
        await harness.db.run((sql) =>
          sql.one<{ contactId: string }>(
            `SELECT c.contact_id AS "contactId" FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.inbox_id = $1 AND m.external_id = $2`,
            [inboxId, externalId],
          ),
        )
      )?.contactId,
    60_000,
    'the customer’s first message in the inbox',
  );
}, 180_000);

afterAll(async () => {
  await connector?.stop();
  await env?.stop();
  await harness?.close();
});

async function deliveryStatusOf(messageId: string, status: string): Promise<void> {
  await eventually(
    async () =>
      (await harness.db.run((sql) => sql.one<{ status: string }>(`SELECT delivery_status AS status FROM messages WHERE id = $1`, [messageId])))?.status === status,
    60_000,
    `message ${messageId} to be ${status}`,
  );
}

describe('an operator starts a Telegram conversation (real Kafka + Postgres, fake Bot API)', () => {
  it('with a contact who wrote to the bot before: sendMessage to their chat, then sent', async () => {
    const started = await start({ contactId, text: 'Your parcel has arrived at the pickup point.' }).expect(201);
    expect(started.body).toMatchObject({ channel: 'telegram', status: 'pending', contact: { id: contactId }, assignee: { id: operatorId }, message: { deliveryStatus: 'pending' } });
    const [call] = await bot.waitFor(() => {
      const calls = sendsTo(user.id).filter((c) => String(c.params.text).includes('Your parcel has arrived at the pickup point.'));
      return calls.length > 0 ? calls : undefined;
    }, 60_000, 'sendMessage to the customer’s chat');
    expect(call.status).toBe(200);
    await deliveryStatusOf(started.body.message.id, 'sent');

    // the customer answers in the chat: it lands in the conversation the operator started
    const answer = bot.sendText(user, 'great, coming today');
    const answerId = `${user.id}:${answer.message?.message_id}`;
    const stored = await eventually(
      () =>
        harness.db.run((sql) =>
          sql.one<{ conversationId: string; reason: string }>(`SELECT conversation_id AS "conversationId", threading_reason AS reason FROM messages WHERE inbox_id = $1 AND external_id = $2`, [
            inboxId,
            answerId,
          ]),
        ),
      60_000,
      'the customer’s answer in the inbox',
    );
    expect(stored).toEqual({ conversationId: started.body.id, reason: 'thread_key' });
  });

  it('with `to` = the chat id of someone who wrote before: the same', async () => {
    const started = await start({ to: String(user.id), text: 'One more thing: bring your ID.' }).expect(201);
    expect(started.body.contact.id).toBe(contactId);
    await bot.waitFor(() => sendsTo(user.id).some((c) => String(c.params.text).includes('One more thing: bring your ID.')), 60_000, 'the second sendMessage');
    await deliveryStatusOf(started.body.message.id, 'sent');
  });

  it('with `to` = a chat that never wrote to the bot: 422 RECIPIENT_NEVER_WROTE naming `to`, nothing sent', async () => {
    const stranger = 555_000_000 + Math.floor(Math.random() * 1_000_000);
    const refused = await start({ to: String(stranger), text: 'Hello stranger' }).expect(422);
    expect(refused.body.error).toMatchObject({ code: 'RECIPIENT_NEVER_WROTE', details: { field: 'to', channel: 'telegram' } });
    expect(refused.body.error.message).toMatch(/wrote/);

    const conversations = await harness.db.run((sql) => sql.rows(`SELECT id FROM conversations WHERE inbox_id = $1 AND contact_id <> $2`, [inboxId, contactId]));
    expect(conversations).toEqual([]);
    expect(sendsTo(stranger)).toEqual([]);
  });

  it('with a contact known on Telegram who never wrote to this inbox: 422 naming contactId', async () => {
    const otherContact = newId();
    await harness.db.run(async (sql) => {
      await sql.exec(`INSERT INTO contacts (id, name) VALUES ($1, 'Wrote to another bot')`, [otherContact]);
      await sql.exec(`INSERT INTO contact_identities (id, contact_id, channel_type, external_id) VALUES ($1, $2, 'telegram', $3)`, [newId(), otherContact, String(user.id + 1_000_000_000)]);
    });
    const refused = await start({ contactId: otherContact, text: 'Hello' }).expect(422);
    expect(refused.body.error).toMatchObject({ code: 'RECIPIENT_NEVER_WROTE', details: { field: 'contactId' } });
  });
});
