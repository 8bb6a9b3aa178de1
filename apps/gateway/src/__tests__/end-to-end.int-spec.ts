import { randomUUID } from 'node:crypto';
import type { ConversationSnapshot, MessageSnapshot } from '@switchboard/common';
import request from 'supertest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/browser';
import { HostPage } from './support/host-page.server';
import { RecordingSocket } from './support/socket-client';
import { WebchatStack } from './support/webchat-stack';

const ORIGIN = 'https://shop.example';

/**
 * End to end on real Kafka and Postgres, the inbox service and the gateway as they run: a web chat
 * visitor writes → the inbox threads and assigns it → the assigned operator's socket gets it → the
 * operator replies through the REST API → the visitor's socket gets the reply (and the operator
 * sees it delivered). Another operator, not of this inbox, sees none of it.
 */
describe('end to end: web chat visitor ↔ operator through gateway and inbox', () => {
  const password = 'operator-password-123';
  let stack: WebchatStack;
  let gateway: { url: string };
  let inboxKey: string;
  let inboxId: string;
  const operators = { a: '', b: '' };
  const sockets: RecordingSocket[] = [];
  let page: HostPage;
  let browser: Browser | undefined;

  beforeAll(async () => {
    page = await new HostPage().start('localhost');
    // the web chat inbox, its operator A (a member, online) and operator B (not a member)
    stack = await WebchatStack.start({
      name: 'e2e-webchat',
      allowedOrigins: [ORIGIN, page.origin],
      password,
      identitySecret: 'shop-identity-secret',
      operators: [
        { email: 'ann@shop.example', name: 'Ann' },
        { email: 'bob@shop.example', name: 'Bob', member: false },
      ],
    });
    gateway = stack.gateway;
    ({ inboxKey, inboxId } = stack);
    operators.a = stack.operatorId('ann@shop.example');
    operators.b = stack.operatorId('bob@shop.example');
    page.gatewayUrl = gateway.url;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await page?.stop();
    for (const socket of sockets) socket.close();
    await stack?.close();
  });

  const login = (email: string) => stack.login(email);
  const track = (socket: RecordingSocket) => (sockets.push(socket), socket);

  it('a visitor writes → the assigned operator gets it → the operator replies → the visitor gets the reply', async () => {
    const tokenA = await login('ann@shop.example');
    const tokenB = await login('bob@shop.example');
    const ann = track(await RecordingSocket.connect(gateway.url, '/ws', { token: tokenA }));
    const bob = track(await RecordingSocket.connect(gateway.url, '/ws', { token: tokenB }));
    await ann.waitFor('ready');
    await bob.waitFor('ready');

    const session = (
      await request(gateway.url)
        .post('/webchat/v1/sessions')
        .set('Origin', ORIGIN)
        .send({ inboxKey, name: 'Visitor Vera' })
        .expect(201)
    ).body;
    const visitor = track(
      await RecordingSocket.connect(
        gateway.url,
        '/webchat/v1/socket',
        { visitorToken: session.visitorToken },
        { Origin: ORIGIN },
      ),
    );
    await visitor.waitFor('ready');
    const text = `Where is my order ${randomUUID().slice(0, 8)}?`;
    await request(gateway.url)
      .post('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${session.visitorToken}`)
      .send({ text })
      .expect(201);

    // the operator of the inbox sees the message, and the conversation assigned to them
    const [inbound, meta] = (await ann.waitFor(
      'message.created',
      ([m]) => (m as MessageSnapshot).text === text,
      60_000,
    )) as [MessageSnapshot, { conversation: ConversationSnapshot }];
    expect(inbound).toMatchObject({ direction: 'inbound', senderType: 'contact' });
    const conversationId = meta.conversation.id;
    expect(meta.conversation).toMatchObject({ inboxId, channel: 'webchat' });
    await ann.waitFor(
      'conversation.updated',
      ([c]) =>
        (c as ConversationSnapshot).id === conversationId &&
        (c as ConversationSnapshot).assignee?.id === operators.a,
      60_000,
    );

    // the visitor types; the operator sees it
    expect(await visitor.emitWithAck('typing', { state: 'typing' })).toEqual({ ok: true });
    await ann.waitFor('typing', ([t]) => (t as { conversationId: string }).conversationId === conversationId);

    // the operator replies through the REST API (and writes a note the visitor must never see)
    const note = await request(gateway.url)
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .set('Authorization', `Bearer ${tokenA}`)
      .send({ text: 'internal: VIP customer', private: true });
    expect(note.status).toBe(201);
    const reply = await request(gateway.url)
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .set('Authorization', `Bearer ${tokenA}`)
      .send({ text: 'Hi Vera, it ships today.' })
      .expect(201);
    expect(reply.body).toMatchObject({ direction: 'outbound', deliveryStatus: 'pending' });

    const [shown] = (await visitor.waitFor(
      'message.created',
      ([m]) => (m as { text: string }).text === 'Hi Vera, it ships today.',
      60_000,
    )) as [Record<string, unknown>];
    expect(shown).toMatchObject({
      direction: 'outbound',
      senderType: 'operator',
      senderName: 'Ann',
      conversationId: session.conversationId,
    });
    // the channel reported it delivered: the operator sees the status change
    await ann.waitFor(
      'message.updated',
      ([m]) =>
        (m as MessageSnapshot).id === reply.body.id && (m as MessageSnapshot).deliveryStatus === 'sent',
      60_000,
    );

    // the visitor's history: their message and the reply, never the note
    const history = await request(gateway.url)
      .get('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${session.visitorToken}`)
      .expect(200);
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual([
      text,
      'Hi Vera, it ships today.',
    ]);
    expect(visitor.of('message.created').some(([m]) => JSON.stringify(m).includes('VIP'))).toBe(false);

    // the operator of another inbox saw none of it, and cannot read or answer it
    expect(bob.received.filter((r) => JSON.stringify(r.args).includes(conversationId))).toEqual([]);
    await request(gateway.url)
      .get(`/api/v1/conversations/${conversationId}`)
      .set('Authorization', `Bearer ${tokenB}`)
      .expect(404);
    await request(gateway.url)
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .set('Authorization', `Bearer ${tokenB}`)
      .send({ text: 'hijack' })
      .expect(404);
  }, 180_000);

  it('the widget in Chromium on the shop’s origin: the visitor writes, the operator answers through the API, the widget shows it', async () => {
    browser = await launchChromium();
    const tokenA = await login('ann@shop.example');
    const ann = track(await RecordingSocket.connect(gateway.url, '/ws', { token: tokenA }));
    await ann.waitFor('ready');
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${page.url}/?inboxKey=${inboxKey}&locale=ru`);
    await tab.click('[data-switchboard] .launcher');
    const text = `Здравствуйте, заказ ${randomUUID().slice(0, 6)} не пришёл`;
    await tab.fill('[data-switchboard] textarea', text);
    await tab.press('[data-switchboard] textarea', 'Enter');
    const [, meta] = (await ann.waitFor(
      'message.created',
      ([m]) => (m as MessageSnapshot).text === text,
      60_000,
    )) as [MessageSnapshot, { conversation: ConversationSnapshot }];
    await request(gateway.url)
      .post(`/api/v1/conversations/${meta.conversation.id}/messages`)
      .set('Authorization', `Bearer ${tokenA}`)
      .send({ text: 'Проверяю, минуту.' })
      .expect(201);
    await tab.waitForSelector('[data-switchboard] .msg.out:has-text("Проверяю, минуту.")', {
      timeout: 60_000,
    });
    // a reload finds the conversation again (token kept by the page), history included
    await tab.reload();
    await tab.click('[data-switchboard] .launcher');
    await tab.waitForSelector(`[data-switchboard] .msg.in:has-text("${text}")`, { timeout: 30_000 });
    await tab.waitForSelector('[data-switchboard] .msg.out:has-text("Проверяю, минуту.")');
    await context.close();
  }, 180_000);

  it('logs in with the inbox’s auth store: refresh rotates, a reused refresh token revokes the session, logout ends it', async () => {
    const login1 = (
      await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: 'ann@shop.example', password })
        .expect(200)
    ).body;
    const login2 = (
      await request(gateway.url)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: login1.refreshToken })
        .expect(200)
    ).body;
    const reuse = await request(gateway.url)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login1.refreshToken })
      .expect(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    await request(gateway.url)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login2.refreshToken })
      .expect(401);
    const login3 = (
      await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: 'ann@shop.example', password })
        .expect(200)
    ).body;
    await request(gateway.url)
      .post('/api/v1/auth/logout')
      .set('Authorization', `Bearer ${login3.accessToken}`)
      .send({})
      .expect(204);
    const after = await request(gateway.url)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login3.refreshToken })
      .expect(401);
    expect(after.body.error.code).toBe('REFRESH_TOKEN_REVOKED');
    const ended = await request(gateway.url).get('/api/v1/me').set('Authorization', `Bearer ${login3.accessToken}`).expect(401);
    expect(ended.body.error.code).toBe('SESSION_REVOKED');
    await request(gateway.url)
      .post('/api/v1/auth/login')
      .send({ email: 'ann@shop.example', password: 'wrong' })
      .expect(401);
  }, 60_000);
});
