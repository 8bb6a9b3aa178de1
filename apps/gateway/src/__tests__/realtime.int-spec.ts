import { randomUUID } from 'node:crypto';
import {
  ConversationEventTypes,
  encodeEvent,
  newEvent,
  type ConversationSnapshot,
  type MessageSnapshot,
} from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { FakeInbox } from './support/fake-inbox.server';
import {
  gatewayTestConfig,
  RunningGateway,
  startGateway,
  TEST_INTERNAL_TOKEN,
  TEST_JWT_SECRET,
} from './support/gateway-harness';
import { RecordingSocket, untilReady } from './support/socket-client';

const inboxX = randomUUID();
const inboxY = randomUUID();

function conversation(inboxId: string, assignee: string | null = null): ConversationSnapshot {
  return {
    id: randomUUID(),
    inboxId,
    channel: 'telegram',
    contact: { id: randomUUID(), name: 'Customer' },
    status: assignee ? 'open' : 'queued',
    priority: 0,
    type: null,
    labels: [],
    assignee: assignee ? { id: assignee, name: 'Someone' } : null,
    team: null,
    subject: null,
    waitingSince: new Date().toISOString(),
    version: 1,
  };
}

function message(
  conversationId: string,
  kind: 'message' | 'note' = 'message',
  text = 'hello',
): MessageSnapshot {
  return {
    id: randomUUID(),
    conversationId,
    direction: 'inbound',
    senderType: 'contact',
    kind,
    text,
    attachments: [],
    deliveryStatus: 'received',
    createdAt: new Date().toISOString(),
  };
}

describe('operators realtime (/ws) with two gateway instances on real Kafka', () => {
  const prefix = `${uniqueName('gw-realtime')}.`;
  let inbox: FakeInbox;
  let g1: RunningGateway;
  let g2: RunningGateway;
  let bus: KafkaBus;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const sockets: RecordingSocket[] = [];
  const visibleConversations = new Map<string, { inboxId: string; viewers: string[] }>();

  const connect = async (url: string, token: string, extra: Record<string, unknown> = {}) => {
    const socket = await RecordingSocket.connect(url, '/ws', { token, ...extra });
    sockets.push(socket);
    await socket.waitFor('ready');
    return socket;
  };

  const publish = async (type: string, data: unknown) => {
    const event = newEvent(type, 'test/inbox', data);
    const encoded = encodeEvent(event);
    await bus.publish(encoded.topic, [{ key: encoded.key, value: encoded.value, headers: encoded.headers }]);
    return event.id;
  };

  beforeAll(async () => {
    inbox = await new FakeInbox(TEST_INTERNAL_TOKEN).start();
    for (const role of ['admin', 'operator', 'operator'] as const) inbox.addOperator(role);
    const [admin, opA, opB] = inbox.operators;
    ids.admin = admin.id;
    ids.a = opA.id;
    ids.b = opB.id;
    inbox.scopes.set(opA.id, [inboxX]);
    inbox.scopes.set(opB.id, [inboxY]);
    const bot = inbox.addBot([inboxX]);
    ids.bot = bot.id;
    tokens.bot = bot.token;
    inbox.on((r) => {
      const match = /^\/internal\/v1\/conversations\/([0-9a-f-]+)$/.exec(r.path);
      if (!match || r.method !== 'GET') return undefined;
      const known = visibleConversations.get(match[1]);
      const actor = String(r.headers['x-actor-id']);
      if (!known || !(known.viewers.includes(actor) || actor === ids.admin))
        return {
          status: 404,
          body: { error: { code: 'CONVERSATION_NOT_FOUND', message: 'no', details: {} } },
        };
      return { status: 200, body: { id: match[1], inboxId: known.inboxId, channel: 'telegram' } };
    });
    const env = { INBOX_URL: inbox.url, KAFKA_TOPIC_PREFIX: prefix, SCOPE_CACHE_MS: '1000' };
    [g1, g2] = await Promise.all([
      startGateway(gatewayTestConfig(env)),
      startGateway(gatewayTestConfig(env)),
    ]);
    await Promise.all([untilReady(g1.url), untilReady(g2.url)]);
    for (const [key, operator] of [
      ['admin', admin],
      ['a', opA],
      ['b', opB],
    ] as const) {
      tokens[key] = (
        await request(g1.url)
          .post('/api/v1/auth/login')
          .send({ email: operator.email, password: operator.password })
          .expect(200)
      ).body.accessToken;
    }
    bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'gw-realtime-test', topicPrefix: prefix });
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([g1?.close(), g2?.close()]);
    await bus?.close();
    await inbox?.stop();
  });

  it('refuses a handshake without a token, with a forged one, or with an expired one', async () => {
    expect((await RecordingSocket.refusal(g1.url, '/ws', {})).data?.code).toBe('UNAUTHORIZED');
    const forged = jwt.sign(
      { sub: ids.admin, role: 'admin', sid: randomUUID(), typ: 'access' },
      'not-the-secret-0123456789',
      { issuer: 'switchboard-gateway', audience: 'switchboard-api', expiresIn: 60 },
    );
    expect((await RecordingSocket.refusal(g1.url, '/ws', { token: forged })).data?.code).toBe(
      'INVALID_TOKEN',
    );
    const expired = jwt.sign(
      {
        sub: ids.admin,
        role: 'admin',
        sid: randomUUID(),
        typ: 'access',
        exp: Math.floor(Date.now() / 1000) - 5,
      },
      TEST_JWT_SECRET,
      { issuer: 'switchboard-gateway', audience: 'switchboard-api' },
    );
    expect((await RecordingSocket.refusal(g2.url, '/ws', { token: expired })).data?.code).toBe(
      'TOKEN_EXPIRED',
    );
  });

  it('sends each event only to the sockets allowed to see it, on both instances', async () => {
    const a = await connect(g1.url, tokens.a);
    const b = await connect(g2.url, tokens.b);
    const admin = await connect(g2.url, tokens.admin);
    const adminOnFirst = await connect(g1.url, tokens.admin);
    const bot = await connect(g1.url, tokens.bot);

    const inX = conversation(inboxX);
    const note = message(inX.id, 'note', 'internal note');
    const visible = message(inX.id, 'message', 'from the customer');
    await publish(ConversationEventTypes.conversationCreated, { conversation: inX });
    await publish(ConversationEventTypes.messageCreated, { conversation: inX, message: visible });
    await publish(ConversationEventTypes.messageCreated, { conversation: inX, message: note });
    // a conversation of inbox Y assigned to A: A sees it although Y is not A's inbox
    const assignedToA = conversation(inboxY, ids.a);
    await publish(ConversationEventTypes.conversationUpdated, {
      conversation: assignedToA,
      change: { action: 'assigned', actor: null },
    });
    const notification = {
      operatorId: ids.b,
      kind: 'mention' as const,
      conversationId: assignedToA.id,
      text: '@B look',
    };
    await publish(ConversationEventTypes.notification, notification);
    const marker = conversation(inboxY);
    await publish(ConversationEventTypes.conversationCreated, { conversation: marker });

    // Partitions are consumed concurrently, so the order across conversations is not fixed: wait until
    // an admin socket on each instance has everything (the other sockets of that instance were served
    // at the same moment), then check who got what.
    const idOf = (args: unknown[]) => (args[0] as { id: string }).id;
    const everything = (socket: RecordingSocket) =>
      Promise.all([
        socket.waitFor('conversation.created', (args) => idOf(args) === inX.id),
        socket.waitFor('conversation.created', (args) => idOf(args) === marker.id),
        socket.waitFor('message.created', (args) => idOf(args) === visible.id),
        socket.waitFor('message.created', (args) => idOf(args) === note.id),
        socket.waitFor('conversation.updated', (args) => idOf(args) === assignedToA.id),
      ]);
    await everything(admin);
    await everything(adminOnFirst);
    await b.waitFor('notification');

    const ids_ = (socket: RecordingSocket, event: string) =>
      socket.of(event).map(([payload]) => (payload as { id: string }).id);
    expect(ids_(a, 'conversation.created')).toEqual([inX.id]);
    expect(ids_(a, 'message.created').sort()).toEqual([visible.id, note.id].sort());
    expect(a.of('notification')).toEqual([]);
    expect(ids_(b, 'conversation.created')).toEqual([marker.id]);
    expect(b.of('message.created')).toEqual([]);
    expect(b.of('notification').map(([n]) => n)).toEqual([notification]);
    expect(ids_(admin, 'conversation.created').sort()).toEqual([inX.id, marker.id].sort());
    expect(ids_(admin, 'message.created').sort()).toEqual([visible.id, note.id].sort());
    expect(admin.of('notification')).toEqual([]);
    expect(ids_(bot, 'message.created')).toEqual([visible.id]);
    expect(ids_(bot, 'conversation.created')).toEqual([inX.id]);
    // payload is the resource; the second argument carries the event id and the conversation
    const [payload, meta] = a
      .of('message.created')
      .find(([m]) => (m as MessageSnapshot).id === visible.id) as [
      MessageSnapshot,
      { eventId: string; conversation: ConversationSnapshot },
    ];
    expect(payload.text).toBe('from the customer');
    expect(meta.conversation.id).toBe(inX.id);
    expect(typeof meta.eventId).toBe('string');
    for (const socket of [a, b, admin, adminOnFirst, bot]) socket.close();
  });

  it('replays what a socket missed when it reconnects with lastEventId (to the other instance), and asks for a resync when it cannot', async () => {
    const conv = conversation(inboxX);
    const first = await connect(g1.url, tokens.a);
    await publish(ConversationEventTypes.conversationCreated, { conversation: conv });
    const [, meta] = (await first.waitFor(
      'conversation.created',
      ([c]) => (c as ConversationSnapshot).id === conv.id,
    )) as [unknown, { eventId: string }];
    first.close();

    const missed = [message(conv.id, 'message', 'one'), message(conv.id, 'message', 'two')];
    for (const m of missed)
      await publish(ConversationEventTypes.messageCreated, { conversation: conv, message: m });
    const elsewhere = conversation(inboxY);
    await publish(ConversationEventTypes.conversationCreated, { conversation: elsewhere });
    // an admin reconnecting with the same lastEventId gets all of it (replayed or live): g2 has consumed it
    const admin = await connect(g2.url, tokens.admin, { lastEventId: meta.eventId });
    await admin.waitFor('conversation.created', ([c]) => (c as ConversationSnapshot).id === elsewhere.id);
    for (const m of missed) await admin.waitFor('message.created', ([x]) => (x as MessageSnapshot).id === m.id);

    const again = await connect(g2.url, tokens.a, { lastEventId: meta.eventId });
    const ready = (await again.waitFor('ready'))[0] as { replayed: number; gap: boolean };
    expect(ready.gap).toBe(false);
    // what came after lastEventId, in order; events of other partitions from just before it may come again (clients skip known ids)
    const texts = again.of('message.created').map(([m]) => (m as MessageSnapshot).text);
    expect(texts.slice(-2)).toEqual(['one', 'two']);
    expect(again.of('conversation.created').map(([c]) => (c as ConversationSnapshot).id)).not.toContain(
      elsewhere.id,
    );
    expect(
      again.of('message.created').every(([, m]) => (m as { replayed?: boolean }).replayed === true),
    ).toBe(true);

    const lost = await connect(g1.url, tokens.a, { lastEventId: randomUUID() });
    expect((await lost.waitFor('ready'))[0]).toMatchObject({ gap: true, replayed: 0 });
    expect(lost.of('resync')).toHaveLength(1);
  });

  it('shares presence between operators on the same conversation across instances, and only for conversations they may see', async () => {
    const conv = conversation(inboxX);
    visibleConversations.set(conv.id, { inboxId: inboxX, viewers: [ids.a] });
    const a = await connect(g1.url, tokens.a);
    const admin = await connect(g2.url, tokens.admin);
    const b = await connect(g2.url, tokens.b);

    expect(await a.emitWithAck('presence', { conversationId: conv.id, state: 'viewing' })).toEqual({
      ok: true,
    });
    expect(await admin.emitWithAck('presence', { conversationId: conv.id, state: 'viewing' })).toEqual({
      ok: true,
    });
    // the admin joined second: it learns that A is there; A hears of the admin through the other instance
    await admin.waitFor('presence', ([p]) => (p as { operatorId: string }).operatorId === ids.a);
    await a.waitFor(
      'presence',
      ([p]) =>
        (p as { operatorId: string; state: string }).operatorId === ids.admin &&
        (p as { state: string }).state === 'viewing',
    );
    expect(await admin.emitWithAck('presence', { conversationId: conv.id, state: 'typing' })).toEqual({
      ok: true,
    });
    await a.waitFor('presence', ([p]) => (p as { state: string }).state === 'typing');

    // B may not see the conversation: refused, and nobody hears of B
    expect(await b.emitWithAck('presence', { conversationId: conv.id, state: 'viewing' })).toEqual({
      error: expect.objectContaining({ code: 'CONVERSATION_NOT_FOUND' }),
    });
    expect(await b.emitWithAck('presence', { conversationId: 'nope', state: 'viewing' })).toEqual({
      error: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    });

    admin.close();
    await a.waitFor(
      'presence',
      ([p]) =>
        (p as { operatorId: string; state: string }).operatorId === ids.admin &&
        (p as { state: string }).state === 'left',
    );
    expect(a.of('presence').some(([p]) => (p as { operatorId: string }).operatorId === ids.b)).toBe(false);
    expect(a.of('presence').some(([p]) => (p as { operatorId: string }).operatorId === ids.a)).toBe(false);
    a.close();
    b.close();
  });

  it('closes the sockets of an ended session: at once where it logged out, on the other instance once it hears', async () => {
    const opA = inbox.operators.find((operator) => operator.id === ids.a);
    if (!opA) throw new Error('operator A is missing');
    const loginOnFirst = async () =>
      String((await request(g1.url).post('/api/v1/auth/login').send({ email: opA.email, password: opA.password }).expect(200)).body.accessToken);
    const closed = (socket: RecordingSocket) =>
      new Promise<string>((resolve) => (socket.socket.connected ? socket.socket.once('disconnect', (reason) => resolve(reason)) : resolve('already')));

    // logged out on g1, its socket on g1 closes at once; another session's socket stays
    const ending = await loginOnFirst();
    const kept = await loginOnFirst();
    const endingSocket = await connect(g1.url, ending);
    const keptSocket = await connect(g1.url, kept);
    const endingClosed = closed(endingSocket);
    await request(g1.url).post('/api/v1/auth/logout').set('Authorization', `Bearer ${ending}`).send({}).expect(204);
    expect(await endingClosed).toBe('io server disconnect');
    expect(endingSocket.of('session_ended')).toEqual([[{ code: 'SESSION_REVOKED' }]]);
    expect((await RecordingSocket.refusal(g1.url, '/ws', { token: ending })).data?.code).toBe('SESSION_REVOKED');

    // revoked elsewhere (the auth store says so): g2 closes its socket after its next read
    const elsewhere = await loginOnFirst();
    const remoteSocket = await connect(g2.url, elsewhere);
    const remoteClosed = closed(remoteSocket);
    const { sid } = JSON.parse(Buffer.from(elsewhere.split('.')[1], 'base64url').toString('utf8')) as { sid: string };
    inbox.revokedSessions.push({ sessionId: sid, revokedAt: new Date().toISOString() });
    expect(await remoteClosed).toBe('io server disconnect');
    expect(remoteSocket.of('session_ended')).toEqual([[{ code: 'SESSION_REVOKED' }]]);
    expect(keptSocket.socket.connected).toBe(true);
    keptSocket.close();
  });
});
