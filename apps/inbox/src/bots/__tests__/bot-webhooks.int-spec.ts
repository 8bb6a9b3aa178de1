import { verifyWebhookSignature } from '@switchboard/common/crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ConversationEventTypes, Topics } from '@switchboard/common';
import { eventually, inboundEvent, publishInbound, seedInbox, startInboxHarness, TopicRecorder, type InboxHarness } from '../../__tests__/support/inbox-harness';
import { actorHeaders as as, ADMIN_HEADERS as admin, assignedTo, botInbox as newBotInbox, conversationState, customerWrites as writes } from './support/bot-test-kit';

interface HookRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: { id: string; event: string; conversation: Record<string, unknown> & { id: string; status: string }; message: (Record<string, unknown> & { id: string; text: string }) | null };
  status: number;
}

/** The bots' webhook: records every POST; answers what `answer` says per path (200 by default). */
class WebhookServer {
  readonly requests: HookRequest[] = [];
  private readonly answers = new Map<string, (count: number) => number>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '';
        const count = this.requests.filter((r) => r.path === path).length + 1;
        const status = (this.answers.get(path) ?? (() => 200))(count);
        this.requests.push({ path, headers: req.headers, raw, body: JSON.parse(raw), status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  answer(path: string, status: (count: number) => number): void {
    this.answers.set(path, status);
  }

  to(path: string): HookRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** a port nothing listens on */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/down`;
}

describe('bot webhooks, automatic handoff and hand-back (two inbox instances, real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let hooks: WebhookServer;
  beforeAll(async () => {
    harness = await startInboxHarness({
      instances: 2,
      env: { BOT_WEBHOOK_RETRY_BASE_MS: '100', BOT_WEBHOOK_MAX_ATTEMPTS: '4', BOT_WEBHOOK_POLL_MS: '100', BOT_TIMEOUT_SWEEP_MS: '500' },
    });
    hooks = await new WebhookServer().start();
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
    await hooks?.stop();
  });

  const botInbox = (webhookUrl: string | null) => newBotInbox(harness, webhookUrl);
  const customerWrites = (inboxId: string, thread: string, text: string) => writes(harness, inboxId, thread, text);
  const conversation = (id: string) => conversationState(harness, id);
  const handoffEvents = (id: string) =>
    harness.db.run((sql) =>
      sql.rows<{ actorType: string; reason: string }>(
        `SELECT actor_type AS "actorType", reason FROM conversation_events WHERE conversation_id = $1 AND action = 'handoff' ORDER BY id`,
        [id],
      ),
    );
  const deliveries = (conversationId: string) =>
    harness.db.run((sql) =>
      sql.rows<{ id: string; status: string; attempts: number; event: string; lastError: string | null }>(
        `SELECT id, status, attempts, event, last_error AS "lastError" FROM bot_webhook_deliveries WHERE conversation_id = $1 ORDER BY created_at, id`,
        [conversationId],
      ),
    );
  const handedOff = (id: string, reason: string) =>
    eventually(async () => (await handoffEvents(id)).find((event) => event.reason === reason), 60_000, `handoff ${reason} of ${id}`);

  it('POSTs a customer message to the bot, signed with the secret given at bot creation, in the documented shape', async () => {
    const bot = await botInbox(`${hooks.url}/basic`);
    const { conversationId } = await customerWrites(bot.inboxId, 'basic-1', 'Hello, when are you open?');
    const hook = await eventually(async () => hooks.to('/basic')[0], 60_000, 'the webhook call');

    expect(hook.headers['content-type']).toMatch(/^application\/json/);
    expect(hook.headers['x-switchboard-event']).toBe('message.created');
    expect(hook.headers['x-switchboard-delivery']).toBe(hook.body.id);
    expect(verifyWebhookSignature(bot.secret, hook.raw, hook.headers['x-switchboard-signature'] as string)).toMatchObject({ valid: true });
    expect(verifyWebhookSignature(bot.secret, `${hook.raw} `, hook.headers['x-switchboard-signature'] as string)).toMatchObject({ valid: false });
    expect(verifyWebhookSignature('another-secret', hook.raw, hook.headers['x-switchboard-signature'] as string)).toMatchObject({ valid: false });

    expect(Object.keys(hook.body).sort()).toEqual(['conversation', 'event', 'id', 'message']);
    expect(hook.body.event).toBe('message.created');
    const asBot = as('bot', bot.botId);
    const conversationApi = await request(harness.url).get(`/internal/v1/conversations/${conversationId}`).set(asBot).expect(200);
    expect(hook.body.conversation).toEqual(conversationApi.body);
    expect(hook.body.conversation).toMatchObject({ id: conversationId, inboxId: bot.inboxId, status: 'bot', handoff: null });
    const messagesApi = await request(harness.url).get(`/internal/v1/conversations/${conversationId}/messages`).set(asBot).expect(200);
    const apiMessage = (messagesApi.body as Array<{ id: string }>).find((m) => m.id === hook.body.message?.id);
    expect(hook.body.message).toEqual(apiMessage);
    expect(hook.body.message).toMatchObject({ text: 'Hello, when are you open?', direction: 'inbound', senderType: 'contact', kind: 'message' });

    // the bot answers through the API while the conversation is with it
    await request(harness.url).post(`/internal/v1/conversations/${conversationId}/messages`).set(asBot).send({ text: 'We open at 9.' }).expect(201);
    await eventually(async () => (await deliveries(conversationId))[0]?.status === 'delivered', 30_000, 'delivered');
    expect(await deliveries(conversationId)).toMatchObject([{ status: 'delivered', attempts: 1, event: 'message.created' }]);
  });

  it('retries a failing webhook with the same delivery id until it answers 2xx (500, 500, 200 → delivered once, attempts 3)', async () => {
    hooks.answer('/flaky', (count) => (count <= 2 ? 500 : 200));
    const bot = await botInbox(`${hooks.url}/flaky`);
    const { conversationId } = await customerWrites(bot.inboxId, 'flaky-1', 'Is my parcel on its way?');
    await eventually(async () => (await deliveries(conversationId))[0]?.status === 'delivered', 60_000, 'delivered after retries');

    const calls = hooks.to('/flaky');
    expect(calls.map((call) => call.status)).toEqual([500, 500, 200]);
    expect(new Set(calls.map((call) => call.headers['x-switchboard-delivery'])).size).toBe(1);
    expect(new Set(calls.map((call) => call.raw)).size).toBe(1);
    for (const call of calls) expect(verifyWebhookSignature(bot.secret, call.raw, call.headers['x-switchboard-signature'] as string).valid).toBe(true);
    expect(await deliveries(conversationId)).toMatchObject([{ id: calls[0].body.id, status: 'delivered', attempts: 3 }]);
    expect(await conversation(conversationId)).toMatchObject({ status: 'bot' });
  });

  it('hands the conversation off when the webhook stays down (reason bot_webhook_failed), and routing assigns it', async () => {
    const bot = await botInbox(await closedPortUrl());
    const { conversationId } = await customerWrites(bot.inboxId, 'down-1', 'Anybody there?');
    const event = await handedOff(conversationId, 'bot_webhook_failed');
    expect(event.actorType).toBe('system');
    const [delivery] = await deliveries(conversationId);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 4 });
    expect(delivery.lastError).toMatch(/connection failed/);
    const card = await request(harness.url).get(`/internal/v1/conversations/${conversationId}`).set(admin).expect(200);
    expect(card.body.handoff).toMatchObject({ reason: 'bot_webhook_failed', botId: null });
    expect(card.body.handoff.summary).toMatch(/^Bot webhook failed: connection failed/);
    await assignedTo(harness, conversationId, bot.operatorId);
    expect(await conversation(conversationId)).toMatchObject({ status: 'open', assigneeId: bot.operatorId });
  });

  it('hands off a conversation whose bot stays silent past botTimeoutSeconds (bot_timeout), not one the bot answered', async () => {
    const bot = await botInbox(`${hooks.url}/silent`);
    await request(harness.url).patch(`/internal/v1/inboxes/${bot.inboxId}`).set(admin).send({ botTimeoutSeconds: 2 }).expect(200);
    const inbox = await request(harness.url).get(`/internal/v1/inboxes/${bot.inboxId}`).set(admin).expect(200);
    expect(inbox.body).toMatchObject({ botTimeoutSeconds: 2, handoffKeywords: null });

    const answered = await customerWrites(bot.inboxId, 'silent-answered', 'Question one');
    const silent = await customerWrites(bot.inboxId, 'silent-ignored', 'Question two');
    await request(harness.url).post(`/internal/v1/conversations/${answered.conversationId}/messages`).set(as('bot', bot.botId)).send({ text: 'Answer one' }).expect(201);

    const event = await handedOff(silent.conversationId, 'bot_timeout');
    expect(event.actorType).toBe('system');
    await assignedTo(harness, silent.conversationId, bot.operatorId);
    // the silent one was written after the answered one: its timeout passed, the answered one is still with the bot
    expect(await conversation(answered.conversationId)).toMatchObject({ status: 'bot' });
    expect(await handoffEvents(answered.conversationId)).toEqual([]);
  });

  it('hands off when the customer asks for a human (ru, en, fa); the bot never gets those messages', async () => {
    const bot = await botInbox(`${hooks.url}/keywords`);
    const texts = ['Позовите оператора, пожалуйста', 'I want to talk to a HUMAN', 'لطفا اپراتور'];
    const conversations = [];
    for (const [index, text] of texts.entries()) conversations.push(await customerWrites(bot.inboxId, `kw-${index}`, text));
    const marker = await customerWrites(bot.inboxId, 'kw-marker', 'What is the humanitarian aid policy?');

    for (const { conversationId } of conversations) {
      const event = await handedOff(conversationId, 'customer_requested_human');
      expect(event.actorType).toBe('system');
      expect(await deliveries(conversationId)).toEqual([]);
    }
    await eventually(async () => hooks.to('/keywords').find((call) => call.body.conversation.id === marker.conversationId), 60_000, 'the marker delivered');
    const seen = new Set(hooks.to('/keywords').map((call) => call.body.conversation.id));
    for (const { conversationId } of conversations) expect(seen.has(conversationId)).toBe(false);
    for (const { conversationId } of conversations) {
      await assignedTo(harness, conversationId, bot.operatorId);
    }
  });

  it('sends nothing after a handoff; a hand-back notifies the bot (conversation.handed_back) and it gets the next messages again', async () => {
    const bot = await botInbox(`${hooks.url}/handback`);
    const asBot = as('bot', bot.botId);
    const first = await customerWrites(bot.inboxId, 'hb-1', 'My order is broken');
    await eventually(async () => hooks.to('/handback').length === 1, 60_000, 'first delivery');
    await request(harness.url).post(`/internal/v1/conversations/${first.conversationId}/handoff`).set(asBot).send({ summary: 'Broken order', reason: 'needs_human' }).expect(200);

    await customerWrites(bot.inboxId, 'hb-1', 'Hello? Still broken');
    // a bot must not talk over a human; its private note is fine
    const refused = await request(harness.url).post(`/internal/v1/conversations/${first.conversationId}/messages`).set(asBot).send({ text: 'Let me help' }).expect(422);
    expect(refused.body.error.code).toBe('CONVERSATION_NOT_WITH_BOT');
    await request(harness.url).post(`/internal/v1/conversations/${first.conversationId}/messages`).set(asBot).send({ text: 'Context: order A-1', private: true }).expect(201);

    await assignedTo(harness, first.conversationId, bot.operatorId);
    const back = await request(harness.url)
      .post(`/internal/v1/conversations/${first.conversationId}/handback`)
      .set(as('operator', bot.operatorId))
      .send({ note: 'Sorted, back to the bot' })
      .expect(200);
    expect(back.body).toMatchObject({ status: 'bot', assignee: null });
    const trail = await request(harness.url).get(`/internal/v1/conversations/${first.conversationId}/events`).set(admin).expect(200);
    expect(trail.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'handed_back', actorId: bot.operatorId })]));

    const handedBack = await eventually(async () => hooks.to('/handback').find((call) => call.body.event === 'conversation.handed_back'), 60_000, 'handed_back');
    expect(handedBack.headers['x-switchboard-event']).toBe('conversation.handed_back');
    expect(handedBack.body).toMatchObject({ event: 'conversation.handed_back', message: null, conversation: { id: first.conversationId, status: 'bot' } });
    expect(verifyWebhookSignature(bot.secret, handedBack.raw, handedBack.headers['x-switchboard-signature'] as string).valid).toBe(true);

    await customerWrites(bot.inboxId, 'hb-1', 'One more question');
    await eventually(async () => hooks.to('/handback').find((call) => call.body.message?.text === 'One more question'), 60_000, 'the next message');
    // same conversation, same partition, in order: the message written during the handoff was handled before and never sent
    expect(hooks.to('/handback').map((call) => call.body.message?.text ?? call.body.event)).toEqual([
      'My order is broken',
      'conversation.handed_back',
      'One more question',
    ]);
    await request(harness.url).post(`/internal/v1/conversations/${first.conversationId}/messages`).set(asBot).send({ text: 'Happy to help again' }).expect(201);
  });

  it('POSTs each delivery exactly once with two inbox instances', async () => {
    const bot = await botInbox(`${hooks.url}/many`);
    const expected: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const text = `question ${index}`;
      expected.push(text);
      await publishInbound(harness.bus, [inboundEvent({ inboxId: bot.inboxId, channelType: 'telegram', threadKey: `many-${index % 6}`, sender: { externalId: `many-${index % 6}` }, text })]);
    }
    const rows = () =>
      harness.db.run((sql) =>
        sql.rows<{ status: string; attempts: number }>(
          `SELECT d.status, d.attempts FROM bot_webhook_deliveries d JOIN conversations c ON c.id = d.conversation_id WHERE c.inbox_id = $1`,
          [bot.inboxId],
        ),
      );
    await eventually(async () => {
      const all = await rows();
      return all.length === expected.length && all.every((row) => row.status === 'delivered');
    }, 60_000, 'every delivery delivered');
    expect(await rows()).toEqual(expected.map(() => ({ status: 'delivered', attempts: 1 })));
    const calls = hooks.to('/many');
    expect(calls).toHaveLength(expected.length);
    expect(new Set(calls.map((call) => call.body.id)).size).toBe(expected.length);
    expect(calls.map((call) => call.body.message?.text).sort()).toEqual([...expected].sort());
  });

  it('decides in the transaction that stores the message: a burst with a redelivery and a request for a human', async () => {
    const bot = await botInbox(`${hooks.url}/burst`);
    const events = await new TopicRecorder().start(harness.bus, Topics.events);
    try {
      const write = (text: string) => inboundEvent({ inboxId: bot.inboxId, channelType: 'telegram', threadKey: 'burst', sender: { externalId: 'user-burst' }, text });
      const hello = write('hello there');
      const human = write('I want a human now');
      const after = write('are you still there?');
      // one publish: usually one ingestion batch; the first message comes twice (a redelivery)
      await publishInbound(harness.bus, [hello, hello, human, after]);
      const { conversationId } = await eventually(
        () => harness.db.run((sql) => sql.one<{ conversationId: string }>(`SELECT conversation_id AS "conversationId" FROM messages WHERE external_id = $1`, [after.data.externalId])),
        60_000,
        'the burst stored',
      );
      await handedOff(conversationId, 'customer_requested_human');
      // one delivery, for the first message only: sent if the dispatcher was quicker than the handoff, else dropped
      const rows = await eventually(async () => {
        const all = await deliveries(conversationId);
        return all.length === 1 && all[0].status !== 'pending' ? all : undefined;
      }, 60_000, 'the first message delivered or dropped');
      expect(['delivered', 'dropped']).toContain(rows[0].status);
      expect(hooks.to('/burst').map((call) => call.body.message?.text)).toEqual(rows[0].status === 'delivered' ? ['hello there'] : []);
      expect(await handoffEvents(conversationId)).toHaveLength(1);

      // the handoff's conversation.updated follows the message that asked for a human, on the conversation's key
      const ofConversation = () => events.records.filter((record) => record.key === conversationId).map((record) => record.event);
      await eventually(async () => ofConversation().some((event) => event.type === ConversationEventTypes.conversationUpdated), 60_000, 'conversation.updated');
      const order = ofConversation().map((event) =>
        event.type === ConversationEventTypes.messageCreated ? (event.data as { message: { text: string } }).message.text : event.type,
      );
      expect(order.indexOf(ConversationEventTypes.conversationUpdated)).toBeGreaterThan(order.indexOf('I want a human now'));
      expect(order.filter((entry) => entry === 'hello there')).toHaveLength(1);
    } finally {
      await events.stop();
    }
  });

  it('validates the inbox settings and refuses a hand-back where there is no bot', async () => {
    const bot = await botInbox(`${hooks.url}/custom`);
    const badKeywords = await request(harness.url).patch(`/internal/v1/inboxes/${bot.inboxId}`).set(admin).send({ handoffKeywords: 'human' }).expect(400);
    expect(JSON.stringify(badKeywords.body.error)).toContain('handoffKeywords');
    const badTimeout = await request(harness.url).patch(`/internal/v1/inboxes/${bot.inboxId}`).set(admin).send({ botTimeoutSeconds: 0 }).expect(400);
    expect(JSON.stringify(badTimeout.body.error)).toContain('botTimeoutSeconds');
    const patched = await request(harness.url).patch(`/internal/v1/inboxes/${bot.inboxId}`).set(admin).send({ handoffKeywords: ['manager'] }).expect(200);
    expect(patched.body.handoffKeywords).toEqual(['manager']);

    // custom keywords replace the defaults: "human" stays with the bot, "manager" hands off
    const stays = await customerWrites(bot.inboxId, 'custom-1', 'are you human?');
    const goes = await customerWrites(bot.inboxId, 'custom-2', 'Get me your Manager');
    await handedOff(goes.conversationId, 'customer_requested_human');
    await eventually(async () => hooks.to('/custom').find((call) => call.body.conversation.id === stays.conversationId), 60_000, 'the message delivered to the bot');
    expect(await conversation(stays.conversationId)).toMatchObject({ status: 'bot' });
    expect(hooks.to('/custom').some((call) => call.body.conversation.id === goes.conversationId)).toBe(false);

    const plainInbox = await seedInbox(harness.db, { channelType: 'telegram' });
    const plain = await customerWrites(plainInbox, 'plain-1', 'hello');
    expect((await conversation(plain.conversationId))?.status).not.toBe('bot');
    const refused = await request(harness.url).post(`/internal/v1/conversations/${plain.conversationId}/handback`).set(admin).send({}).expect(422);
    expect(refused.body.error.code).toBe('INBOX_HAS_NO_BOT');
    const badNote = await request(harness.url).post(`/internal/v1/conversations/${stays.conversationId}/handback`).set(admin).send({ note: 42 }).expect(400);
    expect(JSON.stringify(badNote.body.error)).toContain('note');
    await request(harness.url).post(`/internal/v1/conversations/${stays.conversationId}/handback`).set(as('bot', bot.botId)).send({}).expect(403);
  });
});
