import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import {
  CHANNEL_CONFIG_TYPE,
  loadConfig,
  newEvent,
  outboundTopic,
  Topics,
  type ConversationSnapshot,
  type MessageSnapshot,
} from '@switchboard/common';
import { KafkaBus } from '@switchboard/common/bus/kafka/kafka-bus';
import { newId } from '@switchboard/common/ids';
import { createTestDatabase, kafkaBrokers, startService, uniqueName, type RunningService, type TestDatabase } from '@switchboard/testing';
import request from 'supertest';
import { TopicRecorder } from '../../../inbox/src/__tests__/support/inbox-harness';
import { InboxAppModule } from '../../../inbox/src/app.module';
import { AuthStoreModule } from '../../../inbox/src/auth-store/auth-store.module';
import { PasswordHasher } from '../../../inbox/src/auth-store/password-hasher';
import { inboxConfigSchema } from '../../../inbox/src/inbox.config';
import { InboxDatabase } from '../../../inbox/src/persistence/inbox-database';
import { gatewayTestConfig, startGateway, type RunningGateway } from './support/gateway-harness';
import { eventually, RecordingSocket, untilReady } from './support/socket-client';

const ORIGIN = 'https://shop.example';

interface NotificationPayload {
  operatorId: string;
  kind: string;
  conversationId: string;
  messageId?: string;
  text: string;
}

/**
 * The case on the real inbox service and gateway (Kafka + Postgres): operator A writes a note
 * "@<B's first name> can you check?" in a web chat conversation → B's socket gets a `notification`
 * (kind mention) → A's and C's sockets get no mention → the visitor gets nothing (no message on their
 * socket or in their history) and nothing was published on channel.webchat.outbound.v1 for the note.
 */
describe('end to end: an @mention in a note notifies the colleague and never reaches the customer', () => {
  const prefix = `${uniqueName('e2e-mentions')}.`;
  const secretsKey = randomBytes(32);
  const internalToken = randomBytes(24).toString('hex');
  const inboxKey = `pk_${randomBytes(6).toString('hex')}`;
  const password = 'operator-password-123';
  const operators = { a: newId(), b: newId(), c: newId() };
  const sockets: RecordingSocket[] = [];
  let database: TestDatabase;
  let inboxService: RunningService;
  let db: InboxDatabase;
  let gateway: RunningGateway;
  let bus: KafkaBus;
  let outbound: TopicRecorder;
  let inboxId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const inboxConfig = loadConfig(inboxConfigSchema, {
      PORT: '0',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: database.url,
      SECRETS_KEY: secretsKey.toString('base64'),
      INTERNAL_API_TOKEN: internalToken,
      ROUTING_SWEEP_MS: '1000',
      OUTBOX_POLL_MS: '200',
    });
    @Module({ imports: [InboxAppModule.forRoot(inboxConfig), AuthStoreModule] })
    class InboxRoot {}
    inboxService = await startService({ module: InboxRoot });
    db = await InboxDatabase.open({ url: database.url, poolSize: 2 });

    // a web chat inbox with three operators: A (online, gets the conversation), B and C (colleagues)
    inboxId = newId();
    const hash = await new PasswordHasher().hash(password);
    await db.run(async (sql) => {
      await sql.exec(`INSERT INTO inboxes (id, channel_type, name, settings, public_key) VALUES ($1, 'webchat', 'Shop chat', $2, $3)`, [
        inboxId,
        JSON.stringify({ allowedOrigins: [ORIGIN] }),
        inboxKey,
      ]);
      await sql.exec(
        `INSERT INTO operators (id, email, name, role, password_hash, availability, capacity) VALUES
           ($1, 'ann@shop.example', 'Ann Lee', 'operator', $4, 'online', 5),
           ($2, 'dk@shop.example', 'Дмитрий Кузнецов', 'operator', $4, 'offline', 5),
           ($3, 'carla@shop.example', 'Carla Diaz', 'operator', $4, 'offline', 5)`,
        [operators.a, operators.b, operators.c, hash],
      );
      await sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2), ($1, $3), ($1, $4)`, [inboxId, operators.a, operators.b, operators.c]);
    });
    bus = new KafkaBus({ brokers: kafkaBrokers(), clientId: 'e2e-mentions', topicPrefix: prefix });
    await bus.publish(Topics.channels, [
      {
        key: inboxId,
        value: newEvent(CHANNEL_CONFIG_TYPE, 'switchboard/inbox', {
          inboxId,
          channelType: 'webchat',
          name: 'Shop chat',
          enabled: true,
          deleted: false,
          version: 1,
          settings: { allowedOrigins: [ORIGIN] },
          secrets: {},
          updatedAt: new Date().toISOString(),
        }),
      },
    ]);
    outbound = await new TopicRecorder().start(bus, outboundTopic('webchat'));

    gateway = await startGateway(
      gatewayTestConfig({
        INBOX_URL: inboxService.url,
        INTERNAL_API_TOKEN: internalToken,
        KAFKA_TOPIC_PREFIX: prefix,
        SECRETS_KEY: secretsKey.toString('base64'),
        BLOB_DIR: mkdtempSync(join(tmpdir(), 'e2e-mentions-blobs-')),
      }),
    );
    await untilReady(gateway.url);
    await eventually(
      async () => (await request(gateway.url).get(`/webchat/v1/config?inboxKey=${inboxKey}`).set('Origin', ORIGIN)).status === 200,
      60_000,
      'the web chat inbox to be served',
    );
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await outbound?.stop();
    await gateway?.close();
    await inboxService?.close();
    await bus?.close();
    await db?.close();
    await database?.drop();
  });

  const login = async (email: string) => (await request(gateway.url).post('/api/v1/auth/login').send({ email, password }).expect(200)).body.accessToken as string;
  const operatorSocket = async (email: string) => {
    const socket = await RecordingSocket.connect(gateway.url, '/ws', { token: await login(email) });
    sockets.push(socket);
    await socket.waitFor('ready');
    return socket;
  };
  const notifications = (socket: RecordingSocket) => socket.of('notification').map(([payload]) => payload as NotificationPayload);

  it('A’s note "@Дмитрий can you check?" → B’s socket gets a mention; A, C and the visitor get nothing of it', async () => {
    const tokenA = await login('ann@shop.example');
    const ann = await operatorSocket('ann@shop.example');
    const dmitry = await operatorSocket('dk@shop.example');
    const carla = await operatorSocket('carla@shop.example');

    // the visitor writes; the conversation reaches the operators
    const session = (await request(gateway.url).post('/webchat/v1/sessions').set('Origin', ORIGIN).send({ inboxKey, name: 'Visitor Vera' }).expect(201)).body;
    const visitor = await RecordingSocket.connect(gateway.url, '/webchat/v1/socket', { visitorToken: session.visitorToken }, { Origin: ORIGIN });
    sockets.push(visitor);
    await visitor.waitFor('ready');
    const question = `Where is my order ${randomUUID().slice(0, 8)}?`;
    await request(gateway.url).post('/webchat/v1/messages').set('Origin', ORIGIN).set('Authorization', `Bearer ${session.visitorToken}`).send({ text: question }).expect(201);
    const [, meta] = (await ann.waitFor('message.created', ([m]) => (m as MessageSnapshot).text === question, 60_000)) as [MessageSnapshot, { conversation: ConversationSnapshot }];
    const conversationId = meta.conversation.id;

    // A writes the note with the mention
    const note = await request(gateway.url)
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .set('Authorization', `Bearer ${tokenA}`)
      .send({ text: '@Дмитрий can you check? The customer says the parcel is lost.', private: true })
      .expect(201);
    expect(note.body).toMatchObject({ kind: 'note', mentions: [{ operatorId: operators.b, name: 'Дмитрий Кузнецов' }] });

    const [mention] = (await dmitry.waitFor('notification', ([n]) => (n as NotificationPayload).messageId === note.body.id, 60_000)) as [NotificationPayload];
    expect(mention).toMatchObject({ operatorId: operators.b, kind: 'mention', conversationId, messageId: note.body.id });
    expect(mention.text).toContain('can you check?');
    // B, a member of the inbox, also sees the note itself
    await dmitry.waitFor('message.created', ([m]) => (m as MessageSnapshot).id === note.body.id, 60_000);

    // a public reply after the note: once the visitor has it, anything about the note would have arrived too
    const marker = await request(gateway.url)
      .post(`/api/v1/conversations/${conversationId}/messages`)
      .set('Authorization', `Bearer ${tokenA}`)
      .send({ text: 'We are checking, one moment.' })
      .expect(201);
    await visitor.waitFor('message.created', ([m]) => (m as { text: string }).text === 'We are checking, one moment.', 60_000);
    await ann.waitFor('message.created', ([m]) => (m as MessageSnapshot).id === marker.body.id, 60_000);
    await carla.waitFor('message.created', ([m]) => (m as MessageSnapshot).id === marker.body.id, 60_000);
    await eventually(() => outbound.records.some((r) => (r.event.data as { messageId?: string }).messageId === marker.body.id), 60_000, 'the reply on the outbound topic');

    expect(notifications(ann).filter((n) => n.kind === 'mention' || n.messageId === note.body.id)).toEqual([]);
    expect(notifications(carla)).toEqual([]);
    expect(notifications(dmitry).filter((n) => n.kind === 'mention')).toHaveLength(1);

    expect(visitor.received.some((r) => JSON.stringify(r.args).includes(note.body.id) || JSON.stringify(r.args).includes('parcel is lost'))).toBe(false);
    const history = await request(gateway.url).get('/webchat/v1/messages').set('Origin', ORIGIN).set('Authorization', `Bearer ${session.visitorToken}`).expect(200);
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual([question, 'We are checking, one moment.']);
    expect(outbound.records.some((r) => (r.event.data as { messageId?: string }).messageId === note.body.id)).toBe(false);
    expect(outbound.records.some((r) => JSON.stringify(r.event.data).includes('parcel is lost'))).toBe(false);
  }, 180_000);
});
