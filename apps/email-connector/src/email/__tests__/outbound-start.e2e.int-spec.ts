/**
 * End to end, an operator writes first by e-mail: POST /conversations on the real inbox service
 * (Postgres + Kafka) → the outbox publishes on channel.email.outbound.v1 → the email connector sends
 * it through the SMTP sink from the inbox's address, with our Message-ID and a Reply-To carrying the
 * reply token → its receipt marks the message sent → the customer's answer, delivered to Dovecot,
 * threads into the same conversation.
 */
import { ReplyTokenSigner } from '@switchboard/common/crypto';
import type { ConnectorHost } from '@switchboard/connector-sdk';
import { newId } from '@switchboard/common/ids';
import request from 'supertest';
// test support of the inbox service (an end-to-end test may boot another service)
import { eventually, INTERNAL_TOKEN, seedInbox, seedOperator, startInboxHarness, type InboxHarness } from '../../../../inbox/src/__tests__/support/inbox-harness';
import type { EmailSettings } from '../email-settings.schema';
import { EmailHarness, mail, type TestInbox } from './support/email-harness';

jest.setTimeout(300_000);

interface MessageRow {
  id: string;
  conversationId: string;
  threadingReason: string | null;
  deliveryStatus: string;
  text: string;
}

describe('an operator starts an e-mail conversation through the inbox service', () => {
  let inbox: InboxHarness;
  let email: EmailHarness;
  let host: ConnectorHost<EmailSettings>;
  let mailbox: TestInbox;
  let operatorId: string;

  const as = (id: string) => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': id, 'x-actor-role': 'operator', 'x-actor-name': encodeURIComponent('Ann Operator') });

  const messageWhere = (where: string, params: unknown[], what: string) =>
    eventually(
      () =>
        inbox.db.run((sql) =>
          sql.one<MessageRow>(
            `SELECT id, conversation_id AS "conversationId", threading_reason AS "threadingReason", delivery_status AS "deliveryStatus", text
             FROM messages WHERE inbox_id = $1 AND ${where}`,
            [mailbox.config.inboxId, ...params],
          ),
        ),
      90_000,
      what,
    );

  beforeAll(async () => {
    inbox = await startInboxHarness();
    email = await EmailHarness.create('email-outbound-start', { prefix: inbox.env.KAFKA_TOPIC_PREFIX });
    host = await email.startHost();
    const inboxId = await seedInbox(inbox.db, { channelType: 'email', name: 'Acme support mail' });
    mailbox = await email.newInbox({}, { inboxId });
    // the inbox keeps the non-secret settings an admin gave it (its address among them)
    await inbox.db.run((sql) => sql.exec(`UPDATE inboxes SET settings = $2 WHERE id = $1`, [inboxId, JSON.stringify(mailbox.config.settings)]));
    operatorId = await seedOperator(inbox.db, { name: 'Ann Operator', availability: 'offline' });
    await inbox.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [inboxId, operatorId]));
    await email.publish(mailbox.config);
    await email.running(host, mailbox);
  });

  afterAll(async () => {
    await email?.close();
    await inbox?.close();
  });

  it('POST /conversations to a new address → mail from the inbox with our Message-ID and reply token → sent → the customer’s reply threads into it', async () => {
    const subject = `Your order ${newId().slice(-6)}`;
    const started = await request(inbox.url)
      .post('/internal/v1/conversations')
      .set(as(operatorId))
      .send({ inboxId: mailbox.config.inboxId, to: 'New.Customer@example.com', subject, text: 'Hello! Your order is ready for pickup.' })
      .expect(201);
    expect(started.body).toMatchObject({ status: 'pending', channel: 'email', subject, assignee: { id: operatorId }, message: { deliveryStatus: 'pending' } });
    const conversationId: string = started.body.id;
    const messageId: string = started.body.message.id;

    await email.sink.waitFor(1, 60_000);
    const sent = email.sink.messages.find((m) => m.header('message-id') === `<${messageId}@acme.test>`);
    expect(sent).toBeDefined();
    if (!sent) return;
    expect(sent.parsed.from?.value[0]?.address).toBe(mailbox.address);
    expect(sent.envelope.to).toEqual(['new.customer@example.com']);
    expect(sent.parsed.subject).toBe(subject);
    expect(sent.parsed.text?.trim()).toBe('Hello! Your order is ready for pickup.');
    const replyTo = sent.parsed.replyTo?.value[0]?.address ?? '';
    const signer = new ReplyTokenSigner(inbox.secretsKey);
    expect(replyTo).toBe(mailbox.address.replace('@', `+${signer.sign(conversationId)}@`));
    expect(signer.verify(signer.extractFromAddress(replyTo) ?? '')).toBe(conversationId);

    const delivered = await messageWhere(`id = $2 AND delivery_status = 'sent'`, [messageId], 'the message to be sent');
    expect(delivered.conversationId).toBe(conversationId);

    const ourId = `<${messageId}@acme.test>`;
    await email.dovecot.deliver(
      replyTo,
      mail({ from: 'New Customer <new.customer@example.com>', to: replyTo, subject: `Re: ${subject}`, messageId: '<outbound-start-answer@example.com>', inReplyTo: ourId, references: [ourId], body: 'Thanks, I will come tomorrow.' }),
    );
    const answer = await messageWhere(`external_id = $2`, ['<outbound-start-answer@example.com>'], 'the customer’s answer in the inbox database');
    expect(answer).toMatchObject({ conversationId, threadingReason: 'reply_token', text: 'Thanks, I will come tomorrow.' });

    const messages = await request(inbox.url).get(`/internal/v1/conversations/${conversationId}/messages`).set(as(operatorId)).expect(200);
    expect(messages.body.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([
      ['outbound', 'Hello! Your order is ready for pickup.'],
      ['inbound', 'Thanks, I will come tomorrow.'],
    ]);
  });

  it('refuses a `to` that is not an address (422 naming the field)', async () => {
    const refused = await request(inbox.url)
      .post('/internal/v1/conversations')
      .set(as(operatorId))
      .send({ inboxId: mailbox.config.inboxId, to: 'not an address', text: 'Hello' })
      .expect(422);
    expect(refused.body.error).toMatchObject({ code: 'RECIPIENT_NEVER_WROTE', details: { field: 'to' } });
  });
});
