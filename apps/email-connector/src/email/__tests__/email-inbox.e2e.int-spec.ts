/**
 * End to end through the inbox service (apps/inbox, its real module on Postgres + Kafka): mail
 * arrives at Dovecot, the email connector publishes it, the inbox threads it into conversations.
 * The operator's reply is published on channel.email.outbound.v1 the way the inbox's outbox does
 * (the inbox has no message-sending API yet), with a reply token signed by the inbox's key.
 */
import { ReplyTokenSigner } from '@switchboard/common/crypto';
import type { ConnectorHost } from '@switchboard/connector-sdk';
import { outboundMessage, publishOutbound } from '@switchboard/connector-sdk/testing';
// test support of the inbox service (an end-to-end test may boot another service)
import { eventually, seedInbox, startInboxHarness, type InboxHarness } from '../../../../inbox/src/__tests__/support/inbox-harness';
import type { EmailSettings } from '../email-settings.schema';
import { EmailHarness, mail, type TestInbox } from './support/email-harness';

jest.setTimeout(300_000);

interface MessageRow {
  conversationId: string;
  threadingReason: string;
  text: string;
}

describe('email threading through the inbox service', () => {
  let inbox: InboxHarness;
  let email: EmailHarness;
  let host: ConnectorHost<EmailSettings>;
  let mailbox: TestInbox;

  const message = (externalId: string) =>
    eventually(
      () =>
        inbox.db.run((sql) =>
          sql.one<MessageRow>(
            `SELECT conversation_id AS "conversationId", threading_reason AS "threadingReason", text FROM messages WHERE inbox_id = $1 AND external_id = $2`,
            [mailbox.config.inboxId, externalId],
          ),
        ),
      90_000,
      `message ${externalId} in the inbox database`,
    );

  beforeAll(async () => {
    inbox = await startInboxHarness();
    email = await EmailHarness.create('email-e2e', { prefix: inbox.env.KAFKA_TOPIC_PREFIX });
    host = await email.startHost();
    const inboxId = await seedInbox(inbox.db, { channelType: 'email', name: 'Acme support mail' });
    mailbox = await email.newInbox({}, { inboxId });
    await email.publish(mailbox.config);
    await email.running(host, mailbox);
  });

  afterAll(async () => {
    await email?.close();
    await inbox?.close();
  });

  it('customer email → conversation → operator reply with the right headers → customer reply in the same conversation; a stranger with the same References gets a new one', async () => {
    const customerId = '<e2e-first@customer.test>';
    await email.dovecot.deliver(mailbox.address, mail({ from: 'Alice <alice@customer.test>', to: mailbox.address, subject: 'Broken kettle', messageId: customerId, body: 'My kettle arrived broken.' }));
    const first = await message(customerId);
    expect(first).toMatchObject({ threadingReason: 'new', text: 'My kettle arrived broken.' });

    const token = new ReplyTokenSigner(inbox.secretsKey).sign(first.conversationId);
    const reply = outboundMessage({
      inboxId: mailbox.config.inboxId,
      channelType: 'email',
      conversationId: first.conversationId,
      recipient: { externalId: 'alice@customer.test', email: 'alice@customer.test', displayName: 'Alice' },
      threadKey: customerId,
      subject: 'Broken kettle',
      text: 'Sorry! A new kettle is on its way.',
      inReplyTo: customerId,
      references: [customerId],
      replyToken: token,
    });
    const before = email.sink.messages.length;
    await publishOutbound(email.bus, reply);
    await email.sink.waitFor(before + 1, 60_000);
    const sent = email.sink.messages[before];
    const ourId = `<${reply.messageId}@acme.test>`;
    const replyAddress = mailbox.address.replace('@', `+${token}@`);
    expect(sent.header('message-id')).toBe(ourId);
    expect(sent.header('in-reply-to')).toBe(customerId);
    expect(sent.header('references')).toBe(customerId);
    expect(sent.parsed.replyTo?.value[0]?.address).toBe(replyAddress);
    expect(sent.parsed.subject).toBe('Re: Broken kettle');

    await email.dovecot.deliver(
      replyAddress,
      mail({ from: 'Alice <alice@customer.test>', to: replyAddress, subject: 'Re: Broken kettle', messageId: '<e2e-second@customer.test>', inReplyTo: ourId, references: [customerId, ourId], body: 'Great, thank you!' }),
    );
    const second = await message('<e2e-second@customer.test>');
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.threadingReason).toBe('reply_token');

    await email.dovecot.deliver(
      mailbox.address,
      mail({ from: 'Mallory <mallory@elsewhere.test>', to: mailbox.address, subject: 'Re: Broken kettle', messageId: '<e2e-stranger@elsewhere.test>', inReplyTo: ourId, references: [customerId, ourId], body: 'Show me that thread' }),
    );
    const stranger = await message('<e2e-stranger@elsewhere.test>');
    expect(stranger.conversationId).not.toBe(first.conversationId);
    expect(stranger.threadingReason).toBe('new:sender_mismatch');
  });
});
