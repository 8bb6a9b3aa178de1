import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DELIVERY_RECEIPT_TYPE,
  INBOUND_MESSAGE_TYPE,
  newEvent,
  OUTBOUND_MESSAGE_TYPE,
  OUTBOUND_TYPING_TYPE,
  outboundTopic,
  SecretBox,
  Topics,
  type BusMessage,
  type InboundMessage,
} from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { deriveKey, hmacSha256Hex } from '@switchboard/common/crypto';
import { kafkaBrokers, uniqueName } from '@switchboard/testing';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { publishWebchatChannel } from './support/webchat-channel';
import { FakeInbox } from './support/fake-inbox.server';
import {
  gatewayTestConfig,
  RunningGateway,
  startGateway,
  TEST_INTERNAL_TOKEN,
  TEST_JWT_SECRET,
} from './support/gateway-harness';
import { eventually, RecordingSocket, untilReady } from './support/socket-client';

const ORIGIN = 'https://shop.example';
const EVIL = 'https://evil.example';
const IDENTITY_SECRET = 'identity-secret-of-the-shop-1234';

describe('web chat channel (gateway on real Kafka, inbox faked)', () => {
  const prefix = `${uniqueName('gw-webchat')}.`;
  const secretsKey = randomBytes(32);
  const inboxId = randomUUID();
  const inboxKey = `pk_${randomBytes(6).toString('hex')}`;
  let inbox: FakeInbox;
  let gateway: RunningGateway;
  let bus: KafkaBus;
  const seen: Array<{ topic: string; value: { type: string; data: Record<string, unknown> } }> = [];
  const sockets: RecordingSocket[] = [];
  const visitorThreads: string[] = [];

  const session = (body: Record<string, unknown>, origin = ORIGIN) =>
    request(gateway.url)
      .post('/webchat/v1/sessions')
      .set('Origin', origin)
      .send({ inboxKey, ...body });
  const visitorSocket = async (token: string, origin = ORIGIN) => {
    const socket = await RecordingSocket.connect(
      gateway.url,
      '/webchat/v1/socket',
      { visitorToken: token },
      { Origin: origin },
    );
    sockets.push(socket);
    await socket.waitFor('ready');
    return socket;
  };
  const published = (type: string, predicate: (data: Record<string, unknown>) => boolean) =>
    seen.filter((r) => r.value.type === type && predicate(r.value.data)).map((r) => r.value.data);

  beforeAll(async () => {
    inbox = await new FakeInbox(TEST_INTERNAL_TOKEN).start();
    inbox.on((r) => {
      if (r.path !== '/internal/v1/webchat/messages') return undefined;
      return {
        status: 200,
        body: {
          items: [
            {
              id: randomUUID(),
              conversationId: randomUUID(),
              direction: 'outbound',
              senderType: 'operator',
              senderName: 'Olga',
              text: `history of ${r.query.threadKey}`,
              attachments: [],
              externalId: null,
              deliveryStatus: 'sent',
              createdAt: new Date().toISOString(),
            },
          ],
        },
      };
    });
    bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'gw-webchat-test', topicPrefix: prefix });
    await bus.ensureTopics(
      [
        Topics.inbound,
        Topics.delivery,
        Topics.channels,
        Topics.dlq,
        { topic: outboundTopic('webchat') }.topic,
      ].map((topic) => ({ topic, compacted: topic === Topics.channels })),
    );
    await bus.subscribe({
      groupId: uniqueName('webchat-test-probe'),
      topics: [Topics.inbound, Topics.delivery],
      fromBeginning: true,
      eachMessage: async (message: BusMessage) => {
        seen.push({ topic: message.topic, value: JSON.parse(message.value.toString('utf8')) });
      },
    });
    const box = new SecretBox(secretsKey);
    await publishWebchatChannel(bus, inboxId, { allowedOrigins: [ORIGIN], inboxKey }, { identitySecret: box.encrypt(IDENTITY_SECRET) });
    gateway = await startGateway(
      gatewayTestConfig({
        INBOX_URL: inbox.url,
        KAFKA_TOPIC_PREFIX: prefix,
        SECRETS_KEY: secretsKey.toString('base64'),
        BLOB_DIR: mkdtempSync(join(tmpdir(), 'gw-webchat-blobs-')),
        WEBCHAT_MAX_ATTACHMENT_BYTES: '2048',
        WEBCHAT_ALLOWED_CONTENT_TYPES: 'image/*,text/plain',
        PUBLIC_URL: 'http://gateway.test',
      }),
    );
    await untilReady(gateway.url);
    await eventually(
      async () => (await session({})).status === 201,
      60_000,
      'the web chat inbox to be served',
    );
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await gateway?.close();
    await bus?.close();
    await inbox?.stop();
  });

  it('serves /widget.js for embedding on other origins', async () => {
    const response = await request(gateway.url).get('/widget.js').expect(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.text).toContain('Switchboard');
    expect(response.text).toContain('گفتگو با ما');
    expect(response.text).toContain('Напишите нам');
    expect(response.text.length).toBeLessThan(20_000);
    const consolePage = await request(gateway.url).get('/').expect(200);
    expect(consolePage.text).toContain('Switchboard console');
    expect(consolePage.headers['content-security-policy']).toContain("script-src 'self'");
    await request(gateway.url)
      .get('/console/console.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await request(gateway.url).get('/console/nope.js').expect(404);
  });

  it('answers CORS for allowed origins only, and refuses sessions from other sites', async () => {
    const preflight = await request(gateway.url)
      .options('/webchat/v1/sessions')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const evil = await request(gateway.url)
      .options('/webchat/v1/sessions')
      .set('Origin', EVIL)
      .set('Access-Control-Request-Method', 'POST')
      .expect(204);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const refused = await session({}, EVIL).expect(403);
    expect(refused.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    const unknown = await request(gateway.url)
      .post('/webchat/v1/sessions')
      .set('Origin', ORIGIN)
      .send({ inboxKey: 'pk_nope' })
      .expect(404);
    expect(unknown.body.error.code).toBe('INBOX_NOT_FOUND');
  });

  it('verifies identities by HMAC: the right hash resumes the same conversation, a wrong one is refused', async () => {
    const identifier = 'customer-42';
    const hash = hmacSha256Hex(IDENTITY_SECRET, identifier);
    const first = (await session({ identifier, identifierHash: hash, name: 'Ann' }).expect(201)).body;
    const second = (await session({ identifier, identifierHash: hash }).expect(201)).body;
    expect(first.verified).toBe(true);
    expect(second.conversationId).toBe(first.conversationId);
    const wrong = await session({
      identifier,
      identifierHash: hmacSha256Hex('another-secret', identifier),
    }).expect(401);
    expect(wrong.body.error.code).toBe('IDENTITY_VERIFICATION_FAILED');
    const missing = await session({ identifier }).expect(401);
    expect(missing.body.error.code).toBe('IDENTITY_VERIFICATION_REQUIRED');
    const anonymous = (await session({}).expect(201)).body;
    expect(anonymous.verified).toBe(false);
    expect(anonymous.conversationId).not.toBe(first.conversationId);
  });

  it('publishes a visitor message to inbox.inbound.v1 in their thread, once per client message id', async () => {
    const visitor = (await session({ name: 'Bea' }).expect(201)).body;
    visitorThreads.push(visitor.conversationId);
    const socket = await visitorSocket(visitor.visitorToken);
    const send = () =>
      request(gateway.url)
        .post('/webchat/v1/messages')
        .set('Origin', ORIGIN)
        .set('Authorization', `Bearer ${visitor.visitorToken}`)
        .send({ text: 'Где мой заказ?', clientMessageId: 'client-msg-0001' });
    const sent = await send().expect(201);
    expect(sent.body).toMatchObject({
      direction: 'inbound',
      text: 'Где мой заказ?',
      conversationId: visitor.conversationId,
    });
    await send().expect(201);
    await eventually(
      () => published(INBOUND_MESSAGE_TYPE, (d) => d.threadKey === visitor.conversationId).length === 2,
      30_000,
      'the inbound messages',
    );
    const [message, again] = published(
      INBOUND_MESSAGE_TYPE,
      (d) => d.threadKey === visitor.conversationId,
    ) as unknown as InboundMessage[];
    expect(message).toMatchObject({
      inboxId,
      channelType: 'webchat',
      text: 'Где мой заказ?',
      sender: { externalId: `visitor:${visitor.conversationId}`, displayName: 'Bea' },
    });
    expect(again.externalId).toBe(message.externalId); // the inbox dedupes on it
    // the visitor's own socket (other tabs) sees it too
    await socket.waitFor('message.created', ([m]) => (m as { id: string }).id === message.externalId);
    const empty = await request(gateway.url)
      .post('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${visitor.visitorToken}`)
      .send({ text: '  ' })
      .expect(400);
    expect(empty.body.error.details.fields[0].path).toBe('text');
  });

  it("keeps visitors apart: A's token reads and writes only A's conversation, A's socket gets only A's replies", async () => {
    const a = (await session({ name: 'A' }).expect(201)).body;
    const b = (await session({ name: 'B' }).expect(201)).body;
    const socketA = await visitorSocket(a.visitorToken);
    const socketB = await visitorSocket(b.visitorToken);

    const history = await request(gateway.url)
      .get('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${a.visitorToken}`)
      .expect(200);
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual([
      `history of ${a.conversationId}`,
    ]);
    const asked = inbox.requests.filter((r) => r.path === '/internal/v1/webchat/messages').pop();
    expect(asked?.query).toMatchObject({ inboxId, threadKey: a.conversationId });

    await request(gateway.url)
      .post('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${a.visitorToken}`)
      .send({ text: 'only mine', clientMessageId: 'client-msg-a-001' })
      .expect(201);
    await eventually(
      () => published(INBOUND_MESSAGE_TYPE, (d) => d.text === 'only mine').length === 1,
      30_000,
      "A's message",
    );
    expect(published(INBOUND_MESSAGE_TYPE, (d) => d.text === 'only mine')[0]).toMatchObject({
      threadKey: a.conversationId,
    });

    // a reply to B goes to B's socket only, and is reported sent
    const reply = {
      messageId: randomUUID(),
      conversationId: randomUUID(),
      inboxId,
      channelType: 'webchat',
      recipient: { externalId: `visitor:${b.conversationId}` },
      threadKey: b.conversationId,
      text: 'Hello B, your parcel left today',
      attachments: [],
      references: [],
      sender: { type: 'operator', id: randomUUID(), name: 'Olga' },
      createdAt: new Date().toISOString(),
    };
    await bus.publish(outboundTopic('webchat'), [
      { key: reply.conversationId, value: newEvent(OUTBOUND_MESSAGE_TYPE, 'test/inbox', reply) },
    ]);
    const [delivered] = (await socketB.waitFor(
      'message.created',
      ([m]) => (m as { id: string }).id === reply.messageId,
    )) as [Record<string, unknown>];
    expect(delivered).toMatchObject({
      direction: 'outbound',
      text: reply.text,
      senderName: 'Olga',
      conversationId: b.conversationId,
    });
    await eventually(
      () => published(DELIVERY_RECEIPT_TYPE, (d) => d.messageId === reply.messageId).length > 0,
      30_000,
      'the receipt',
    );
    expect(published(DELIVERY_RECEIPT_TYPE, (d) => d.messageId === reply.messageId)[0]).toMatchObject({
      status: 'sent',
      externalId: `webchat-out:${reply.messageId}`,
    });
    // typing from the inbox reaches B
    await bus.publish(outboundTopic('webchat'), [
      {
        key: reply.conversationId,
        value: newEvent(OUTBOUND_TYPING_TYPE, 'test/inbox', {
          conversationId: reply.conversationId,
          inboxId,
          channelType: 'webchat',
          recipient: { externalId: `visitor:${b.conversationId}` },
        }),
      },
    ]);
    await socketB.waitFor('typing', ([t]) => (t as { from: string }).from === 'operator');
    expect(socketA.of('message.created').some(([m]) => (m as { id: string }).id === reply.messageId)).toBe(
      false,
    );
    expect(socketA.of('typing')).toEqual([]);
  });

  it('with two gateway instances, a reply reaches the visitor whichever instance holds the socket and whichever consumes the reply', async () => {
    const second = await startGateway(
      gatewayTestConfig({
        INBOX_URL: inbox.url,
        KAFKA_TOPIC_PREFIX: prefix,
        SECRETS_KEY: secretsKey.toString('base64'),
        PUBLIC_URL: 'http://gateway.test',
      }),
    );
    try {
      await untilReady(second.url);
      await eventually(
        async () =>
          (await request(second.url).get(`/webchat/v1/config?inboxKey=${inboxKey}`).set('Origin', ORIGIN))
            .status === 200,
        60_000,
        'the second instance to serve the inbox',
      );
      // a session opened on one instance works on the other (same key)
      const visitor = (await session({}).expect(201)).body;
      const onSecond = await RecordingSocket.connect(
        second.url,
        '/webchat/v1/socket',
        { visitorToken: visitor.visitorToken },
        { Origin: ORIGIN },
      );
      sockets.push(onSecond);
      await onSecond.waitFor('ready');
      const onFirst = await visitorSocket(visitor.visitorToken);
      const replies = Array.from({ length: 6 }, (_, i) => ({
        messageId: randomUUID(),
        conversationId: randomUUID(),
        inboxId,
        channelType: 'webchat',
        recipient: { externalId: `visitor:${visitor.conversationId}` },
        threadKey: visitor.conversationId,
        text: `reply ${i}`,
        attachments: [],
        references: [],
        sender: { type: 'bot', name: 'Helper' },
        createdAt: new Date().toISOString(),
      }));
      // different keys spread the replies over the partitions the two instances share
      await bus.publish(
        outboundTopic('webchat'),
        replies.map((reply) => ({
          key: reply.conversationId,
          value: newEvent(OUTBOUND_MESSAGE_TYPE, 'test/inbox', reply),
        })),
      );
      for (const socket of [onFirst, onSecond]) {
        await eventually(
          () =>
            replies.every((reply) =>
              socket.of('message.created').some(([m]) => (m as { id: string }).id === reply.messageId),
            ),
          60_000,
          'every reply on both sockets',
        );
      }
      await eventually(
        () =>
          replies.every(
            (reply) => published(DELIVERY_RECEIPT_TYPE, (d) => d.messageId === reply.messageId).length > 0,
          ),
        30_000,
        'a receipt per reply',
      );
      for (const reply of replies)
        expect(published(DELIVERY_RECEIPT_TYPE, (d) => d.messageId === reply.messageId)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('refuses forged, expired and foreign tokens on the visitor endpoints and socket', async () => {
    const visitor = (await session({}).expect(201)).body;
    const claims = jwt.decode(visitor.visitorToken) as Record<string, unknown>;
    const forged = jwt.sign({ ...claims, tid: randomUUID() }, 'guessed-secret-0123456789');
    const forgedAnswer = await request(gateway.url)
      .get('/webchat/v1/messages')
      .set('Authorization', `Bearer ${forged}`)
      .expect(401);
    expect(forgedAnswer.body.error.code).toBe('INVALID_TOKEN');
    // a token whose payload was edited to another thread, signature kept
    const [header, , signature] = visitor.visitorToken.split('.');
    const edited = `${header}.${Buffer.from(JSON.stringify({ ...claims, tid: randomUUID() })).toString('base64url')}.${signature}`;
    await request(gateway.url)
      .get('/webchat/v1/messages')
      .set('Authorization', `Bearer ${edited}`)
      .expect(401);
    await request(gateway.url).get('/webchat/v1/messages').expect(401);
    // a visitor token is not an operator token, nor the reverse
    await request(gateway.url)
      .get('/api/v1/conversations')
      .set('Authorization', `Bearer ${visitor.visitorToken}`)
      .expect(401);
    const operator = inbox.addOperator('admin');
    const access = (
      await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: operator.email, password: operator.password })
        .expect(200)
    ).body.accessToken;
    await request(gateway.url)
      .get('/webchat/v1/messages')
      .set('Authorization', `Bearer ${access}`)
      .expect(401);
    // expired (signed with the right key)
    const key = deriveKey(TEST_JWT_SECRET, 'switchboard webchat visitor token');
    const expired = jwt.sign(
      { ...claims, iat: Math.floor(Date.now() / 1000) - 120, exp: Math.floor(Date.now() / 1000) - 60 },
      key,
    );
    const expiredAnswer = await request(gateway.url)
      .get('/webchat/v1/messages')
      .set('Authorization', `Bearer ${expired}`)
      .expect(401);
    expect(expiredAnswer.body.error.code).toBe('TOKEN_EXPIRED');
    const stillValid = jwt.sign({ ...claims }, key);
    await request(gateway.url)
      .get('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${stillValid}`)
      .expect(200);
    expect(
      (
        await RecordingSocket.refusal(
          gateway.url,
          '/webchat/v1/socket',
          { visitorToken: expired },
          { Origin: ORIGIN },
        )
      ).data?.code,
    ).toBe('TOKEN_EXPIRED');
    expect(
      (
        await RecordingSocket.refusal(
          gateway.url,
          '/webchat/v1/socket',
          { visitorToken: forged },
          { Origin: ORIGIN },
        )
      ).data?.code,
    ).toBe('INVALID_TOKEN');
    expect(
      (
        await RecordingSocket.refusal(
          gateway.url,
          '/webchat/v1/socket',
          { visitorToken: visitor.visitorToken },
          { Origin: EVIL },
        )
      ).data?.code,
    ).toBe('ORIGIN_NOT_ALLOWED');
    expect(
      (
        await RecordingSocket.refusal(
          gateway.url,
          '/webchat/v1/socket',
          { token: access },
          { Origin: ORIGIN },
        )
      ).data?.code,
    ).toBe('UNAUTHORIZED');
  });

  it('takes attachments within the size and type limits, only from their own conversation', async () => {
    const a = (await session({}).expect(201)).body;
    const b = (await session({}).expect(201)).body;
    const upload = (token: string, body: Buffer, type: string) =>
      request(gateway.url)
        .post('/webchat/v1/attachments?name=note.txt')
        .set('Origin', ORIGIN)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', type)
        .send(body);
    const ok = await upload(a.visitorToken, Buffer.from('hello file'), 'text/plain').expect(201);
    expect(ok.body).toMatchObject({ name: 'note.txt', size: 10, contentType: 'text/plain' });
    const tooLarge = await upload(a.visitorToken, Buffer.alloc(4096, 1), 'text/plain').expect(413);
    expect(tooLarge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const badType = await upload(a.visitorToken, Buffer.from('MZ'), 'application/x-msdownload').expect(415);
    expect(badType.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // B cannot send A's upload
    const stolen = await request(gateway.url)
      .post('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${b.visitorToken}`)
      .send({ text: 'mine now', attachments: [ok.body.token] })
      .expect(400);
    expect(stolen.body.error.details.fields[0].path).toBe('attachments.0');
    const sent = await request(gateway.url)
      .post('/webchat/v1/messages')
      .set('Origin', ORIGIN)
      .set('Authorization', `Bearer ${a.visitorToken}`)
      .send({ text: '', attachments: [ok.body.token], clientMessageId: 'client-att-0001' })
      .expect(201);
    const link = new URL(sent.body.attachments[0].url);
    const file = await request(gateway.url).get(`${link.pathname}${link.search}`).expect(200);
    expect(Buffer.from(file.body).toString()).toBe('hello file');
    link.searchParams.set('thread', b.conversationId);
    await request(gateway.url).get(`${link.pathname}${link.search}`).expect(403);
    await eventually(
      () => published(INBOUND_MESSAGE_TYPE, (d) => d.threadKey === a.conversationId).length === 1,
      30_000,
      'the attachment message',
    );
  });

  it('limits request sizes (413) and rates on the public endpoints (429 with Retry-After)', async () => {
    const big = await request(gateway.url)
      .post('/webchat/v1/sessions')
      .set('Origin', ORIGIN)
      .send({ inboxKey, name: 'x'.repeat(200_000) })
      .expect(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const limited = await startGateway(
      gatewayTestConfig({
        INBOX_URL: inbox.url,
        KAFKA_TOPIC_PREFIX: `${uniqueName('gw-webchat-limit')}.`,
        PUBLIC_RATE_LIMIT_PER_MINUTE: '3',
      }),
    );
    try {
      for (let i = 0; i < 3; i += 1)
        await request(limited.url).get('/webchat/v1/config?inboxKey=x').expect(404);
      const answer = await request(limited.url).get('/webchat/v1/config?inboxKey=x').expect(429);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
