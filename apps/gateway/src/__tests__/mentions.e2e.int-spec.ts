import { randomUUID } from 'node:crypto';
import { outboundTopic, type ConversationSnapshot, type MessageSnapshot } from '@switchboard/common';
import request from 'supertest';
import { TopicRecorder } from '../../../inbox/src/__tests__/support/inbox-harness';
import { eventually, RecordingSocket } from './support/socket-client';
import { WebchatStack } from './support/webchat-stack';

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
  const sockets: RecordingSocket[] = [];
  let stack: WebchatStack;
  let outbound: TopicRecorder;
  let gatewayUrl: string;
  let inboxKey: string;
  const operators = { a: '', b: '', c: '' };

  beforeAll(async () => {
    // A is online and gets the conversation; B and C are colleagues
    stack = await WebchatStack.start({
      name: 'e2e-mentions',
      allowedOrigins: [ORIGIN],
      password: 'operator-password-123',
      operators: [
        { email: 'ann@shop.example', name: 'Ann Lee' },
        { email: 'dk@shop.example', name: 'Дмитрий Кузнецов', availability: 'offline' },
        { email: 'carla@shop.example', name: 'Carla Diaz', availability: 'offline' },
      ],
    });
    operators.a = stack.operatorId('ann@shop.example');
    operators.b = stack.operatorId('dk@shop.example');
    operators.c = stack.operatorId('carla@shop.example');
    gatewayUrl = stack.url;
    inboxKey = stack.inboxKey;
    outbound = await new TopicRecorder().start(stack.bus, outboundTopic('webchat'));
  }, 180_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await outbound?.stop();
    await stack?.close();
  });

  const login = (email: string) => stack.login(email);
  const operatorSocket = async (email: string) => {
    const socket = await RecordingSocket.connect(gatewayUrl, '/ws', { token: await login(email) });
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
    const session = (await request(gatewayUrl).post('/webchat/v1/sessions').set('Origin', ORIGIN).send({ inboxKey, name: 'Visitor Vera' }).expect(201)).body;
    const visitor = await RecordingSocket.connect(gatewayUrl, '/webchat/v1/socket', { visitorToken: session.visitorToken }, { Origin: ORIGIN });
    sockets.push(visitor);
    await visitor.waitFor('ready');
    const question = `Where is my order ${randomUUID().slice(0, 8)}?`;
    await request(gatewayUrl).post('/webchat/v1/messages').set('Origin', ORIGIN).set('Authorization', `Bearer ${session.visitorToken}`).send({ text: question }).expect(201);
    const [, meta] = (await ann.waitFor('message.created', ([m]) => (m as MessageSnapshot).text === question, 60_000)) as [MessageSnapshot, { conversation: ConversationSnapshot }];
    const conversationId = meta.conversation.id;

    // A writes the note with the mention
    const note = await request(gatewayUrl)
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
    const marker = await request(gatewayUrl)
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
    const history = await request(gatewayUrl).get('/webchat/v1/messages').set('Origin', ORIGIN).set('Authorization', `Bearer ${session.visitorToken}`).expect(200);
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual([question, 'We are checking, one moment.']);
    expect(outbound.records.some((r) => (r.event.data as { messageId?: string }).messageId === note.body.id)).toBe(false);
    expect(outbound.records.some((r) => JSON.stringify(r.event.data).includes('parcel is lost'))).toBe(false);
  }, 180_000);
});
