import type { ConversationSnapshot, MessageSnapshot } from '@switchboard/common';
import { freePort } from '@switchboard/testing/fakes/mail';
import request from 'supertest';
import { FaqBot } from '../../../../examples/faq-bot/src/faq-bot';
import { eventually, RecordingSocket } from './support/socket-client';
import { WebchatStack } from './support/webchat-stack';

const ORIGIN = 'https://shop.example';
const ADMIN = 'ada@shop.example';
const ANN = 'ann@shop.example';

interface VisitorMessage {
  direction: 'inbound' | 'outbound';
  senderType: string;
  text: string;
}

/**
 * End to end with the reference FAQ bot (examples/faq-bot) on real Kafka and Postgres, the inbox
 * service and the gateway as they run: the bot is registered through POST /api/v1/bots and attached
 * to a web chat inbox; a visitor asks the opening hours (the bot answers), reports a damaged order
 * (the bot collects name and order number over several messages, then hands off); the conversation
 * is queued and assigned to the online operator, who sees the handoff card and answers; after the
 * handoff the bot receives nothing more for that conversation.
 */
describe('end to end: web chat visitor ↔ FAQ bot → handoff → operator', () => {
  const password = 'operator-password-123';
  let stack: WebchatStack;
  let bot: FaqBot | undefined;
  const botLog: Array<Record<string, unknown>> = [];
  const sockets: RecordingSocket[] = [];

  beforeAll(async () => {
    stack = await WebchatStack.start({
      name: 'e2e-bot-handoff',
      allowedOrigins: [ORIGIN],
      password,
      operators: [
        // the admin registers the bot; offline and not a member, so routing never picks them
        { email: ADMIN, name: 'Ada', role: 'admin', member: false, availability: 'offline' },
        { email: ANN, name: 'Ann', languages: ['en'] },
      ],
    });

    // the bot runs in this process, on a port chosen before it is registered (its URL is part of the registration)
    const port = await freePort();
    const adminToken = await stack.login(ADMIN);
    const registered = await request(stack.url)
      .post('/api/v1/bots')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ name: 'FAQ bot', webhookUrl: `http://127.0.0.1:${port}/webhook`, inboxIds: [stack.inboxId] })
      .expect(201);
    expect(registered.body).toMatchObject({
      id: expect.any(String),
      token: expect.any(String),
      webhookSecret: expect.any(String),
      inboxIds: [stack.inboxId],
    });
    bot = new FaqBot({
      switchboardUrl: stack.url,
      botToken: registered.body.token,
      webhookSecret: registered.body.webhookSecret,
      log: (entry) => botLog.push(entry),
    });
    await bot.listen(port, '127.0.0.1');
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await bot?.close();
    await stack?.close();
  });

  /** a web chat visitor, through the public visitor API */
  async function newVisitor(name: string) {
    const session = (
      await request(stack.url)
        .post('/webchat/v1/sessions')
        .set('Origin', ORIGIN)
        .send({ inboxKey: stack.inboxKey, name })
        .expect(201)
    ).body as { visitorToken: string };
    const auth = `Bearer ${session.visitorToken}`;
    const history = async (): Promise<VisitorMessage[]> =>
      (
        await request(stack.url)
          .get('/webchat/v1/messages')
          .set('Origin', ORIGIN)
          .set('Authorization', auth)
          .expect(200)
      ).body.items;
    return {
      history,
      async say(text: string): Promise<void> {
        await request(stack.url)
          .post('/webchat/v1/messages')
          .set('Origin', ORIGIN)
          .set('Authorization', auth)
          .send({ text })
          .expect(201);
      },
      /** waits until the visitor's history holds an outbound message from `senderType` matching `text` */
      async sees(senderType: 'bot' | 'operator', text: RegExp): Promise<void> {
        let last: VisitorMessage[] = [];
        await eventually(
          async () =>
            (last = await history()).some(
              (m) => m.direction === 'outbound' && m.senderType === senderType && text.test(m.text),
            ),
          60_000,
          `the visitor to see a ${senderType} message ${text}`,
        ).catch((error: Error) => {
          throw new Error(
            `${error.message}; history: ${JSON.stringify(last.map((m) => [m.senderType, m.text]))}`,
          );
        });
      },
    };
  }

  const deliveriesOf = (conversationId: string) =>
    (bot?.deliveries ?? []).filter((d) => d.conversationId === conversationId);

  it('the bot answers, collects the order details, hands off; the operator takes over and the bot hears no more', async () => {
    const annToken = await stack.login(ANN);
    const ann = await RecordingSocket.connect(stack.url, '/ws', { token: annToken });
    sockets.push(ann);
    await ann.waitFor('ready');
    const vera = await newVisitor('Vera');

    // an FAQ question: the bot answers it on the visitor's side
    await vera.say('Hello, what are your opening hours?');
    await vera.sees('bot', /Monday to Friday 9:00–20:00/);
    const [first] = bot?.deliveries ?? [];
    expect(first).toMatchObject({ event: 'message.created', duplicate: false });
    const conversationId = first.conversationId;
    const adminToken = await stack.login(ADMIN);
    const before = await request(stack.url)
      .get(`/api/v1/conversations/${conversationId}`)
      .set('Authorization', `Bearer ${adminToken}`)
      .expect(200);
    expect(before.body).toMatchObject({ inboxId: stack.inboxId, status: 'bot', assignee: null });

    // an order problem: the bot asks for the name, then the order number, then hands off
    await vera.say('My order arrived damaged');
    await vera.sees('bot', /What is your name/);
    await vera.say('My name is Vera Petrova');
    await vera.sees('bot', /Thank you, Vera Petrova\. What is your order number/);
    await vera.say('It is A-1234');
    await vera.sees('bot', /passed order A-1234 to a colleague/);

    // queued by the handoff, then assigned to the online operator — who gets it on the socket
    await ann.waitFor(
      'conversation.updated',
      ([c]) =>
        (c as ConversationSnapshot).id === conversationId &&
        (c as ConversationSnapshot).assignee?.id === stack.operatorId(ANN),
      60_000,
    );
    const card = await request(stack.url)
      .get(`/api/v1/conversations/${conversationId}`)
      .set('Authorization', `Bearer ${annToken}`)
      .expect(200);
    expect(card.body).toMatchObject({
      status: 'open',
      assignee: { id: stack.operatorId(ANN) },
      priority: 1,
      handoff: {
        intent: 'order_problem',
        collected: { name: 'Vera Petrova', orderNumber: 'A-1234' },
        reason: 'needs_human',
        language: 'en',
        priority: 1,
      },
    });
    expect(card.body.handoff.summary).toEqual(expect.stringContaining('My order arrived damaged'));
    expect(card.body.handoff.summary).toEqual(expect.stringContaining('Vera Petrova'));
    expect(card.body.handoff.summary).toEqual(expect.stringContaining('A-1234'));
    const events = (
      await request(stack.url)
        .get(`/api/v1/conversations/${conversationId}/events`)
        .set('Authorization', `Bearer ${annToken}`)
        .expect(200)
    ).body.items as Array<{ action: string; data: Record<string, unknown> }>;
    const handoffAt = events.findIndex((e) => e.action === 'handoff');
    const assignedAt = events.findIndex((e) => e.action === 'assigned');
    expect(events[handoffAt]?.data).toMatchObject({ from: 'bot', to: 'queued', intent: 'order_problem' });
    // (events come oldest first)
    expect(assignedAt).toBeGreaterThan(handoffAt);
    // the operator's socket carried the bot's side of the conversation too
    await eventually(
      () =>
        ann
          .of('message.created')
          .filter(
            ([m]) =>
              (m as MessageSnapshot).conversationId === conversationId &&
              (m as MessageSnapshot).senderType === 'bot',
          ).length === 4,
      30_000,
      "the bot's four messages on the operator's socket",
    );

    // four customer messages, four deliveries, all signed correctly, none twice
    const atHandoff = deliveriesOf(conversationId);
    expect(atHandoff.map((d) => [d.event, d.duplicate])).toEqual(Array(4).fill(['message.created', false]));
    expect(botLog.filter((entry) => entry.msg === 'webhook refused')).toEqual([]);
    expect(botLog.filter((entry) => entry.level === 'error')).toEqual([]);

    // the operator answers; the visitor sees it
    await request(stack.url)
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .set('Authorization', `Bearer ${annToken}`)
      .send({ text: 'Hi Vera, a replacement for A-1234 ships today.' })
      .expect(201);
    await vera.sees('operator', /a replacement for A-1234 ships today/);

    // the visitor writes again: the operator sees it, the bot gets nothing
    await vera.say('Thank you so much!');
    await ann.waitFor(
      'message.created',
      ([m]) =>
        (m as MessageSnapshot).conversationId === conversationId &&
        (m as MessageSnapshot).text === 'Thank you so much!',
      60_000,
    );
    // a later conversation still with the bot is answered: webhook delivery has moved past Vera's last message
    const max = await newVisitor('Max');
    await max.say('How long does delivery take?');
    await max.sees('bot', /2–4 working days/);
    await bot?.idle();
    expect(deliveriesOf(conversationId)).toEqual(atHandoff);
    const history = await vera.history();
    expect(history.filter((m) => m.senderType === 'bot').map((m) => m.text)).toHaveLength(4);
    expect(history.at(-1)).toMatchObject({ direction: 'inbound', text: 'Thank you so much!' });

    // the operator hands the conversation back: the bot is told, greets again, and answers again
    await request(stack.url)
      .post(`/api/v1/conversations/${conversationId}/handback`)
      .set('Authorization', `Bearer ${annToken}`)
      .send({ note: 'replacement arranged' })
      .expect(200);
    await vera.sees('bot', /^Hello again!/);
    expect(
      deliveriesOf(conversationId)
        .slice(atHandoff.length)
        .map((d) => d.event),
    ).toEqual(['conversation.handed_back']);
    await vera.say('Can I return the old one?');
    await vera.sees('bot', /within 30 days/);
  }, 240_000);
});
