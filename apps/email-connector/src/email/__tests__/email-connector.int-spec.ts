import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHANNEL_STATUS_TYPE,
  DELIVERY_RECEIPT_TYPE,
  DlqHeaders,
  INBOUND_MESSAGE_TYPE,
  Topics,
  type ChannelStatus,
  type ConnectorOffset,
  type DeliveryReceipt,
} from '@switchboard/common';
import type { ConnectorHost } from '@switchboard/connector-sdk';
import { outboundMessage, publishOutbound, waitFor } from '@switchboard/connector-sdk/testing';
import type { EmailSettings } from '../email-settings.schema';
import { FIXTURE_DIR } from './email-fixtures';
import { EmailHarness, mail, SMTP_PASSWORD, type TestInbox } from './support/email-harness';

jest.setTimeout(180_000);

/** a reply token in the shape the inbox's ReplyTokenService makes */
const TOKEN = 'r0123456789abcdefghijklmnopqrstuvw';

describe('EmailImapConnector on Dovecot, an SMTP sink and Kafka', () => {
  let harness: EmailHarness;
  let host: ConnectorHost<EmailSettings>;

  beforeAll(async () => {
    harness = await EmailHarness.create('email-int');
    host = await harness.startHost();
  });

  afterAll(async () => {
    await harness?.close();
  });

  async function runningInbox(settings = {}): Promise<TestInbox> {
    const inbox = await harness.newInbox(settings);
    await harness.publish(inbox.config);
    await harness.running(host, inbox);
    return inbox;
  }

  it('turns a customer email delivered by LMTP into an inbound event, then commits the cursor', async () => {
    const inbox = await runningInbox();
    await harness.dovecot.deliver(
      inbox.address,
      mail({ from: 'Alice Customer <alice@customer.test>', to: inbox.address, subject: 'Order #1042 has not arrived', messageId: '<c1-first@customer.test>', body: 'Hello,\nwhere is my parcel?' }),
      { envelopeFrom: 'alice@customer.test' },
    );
    const message = await harness.inboundWhere(inbox, (m) => m.externalId === '<c1-first@customer.test>', 'the customer email');
    expect(message).toMatchObject({
      inboxId: inbox.config.inboxId,
      channelType: 'email',
      threadKey: '<c1-first@customer.test>',
      sender: { externalId: 'alice@customer.test', email: 'alice@customer.test', displayName: 'Alice Customer' },
      subject: 'Order #1042 has not arrived',
      text: 'Hello,\nwhere is my parcel?',
      autoReply: false,
      references: [],
      channelMetadata: { deliveredTo: inbox.address, imap: { mailbox: 'INBOX', uid: 1 } },
    });
    const [record] = harness.probe.of(Topics.inbound, INBOUND_MESSAGE_TYPE).filter((r) => (r.event?.data as { externalId: string }).externalId === '<c1-first@customer.test>');
    expect(record.key).toBe(`${inbox.config.inboxId}:<c1-first@customer.test>`);

    const offset = await waitFor('the committed cursor', () =>
      harness.probe.of(Topics.connectorOffsets).find((r) => r.key === `email-imap:${inbox.config.inboxId}` && (r.event?.data as ConnectorOffset)?.position?.lastUid === 1),
    );
    expect((offset.event?.data as ConnectorOffset).position).toMatchObject({ lastUid: 1, uidValidity: expect.any(Number), lastReceivedAt: expect.any(String) });
  });

  it('sends the operator reply with our Message-ID, In-Reply-To, References and Reply-To token, and threads the answers', async () => {
    const inbox = await runningInbox();
    const customerId = '<c2-first@customer.test>';
    await harness.dovecot.deliver(inbox.address, mail({ from: 'Alice <alice@customer.test>', to: inbox.address, subject: 'Refund', messageId: customerId, body: 'I want a refund.' }));
    await harness.inboundWhere(inbox, (m) => m.externalId === customerId, 'the first customer email');

    const reply = outboundMessage({
      inboxId: inbox.config.inboxId,
      channelType: 'email',
      recipient: { externalId: 'alice@customer.test', email: 'alice@customer.test', displayName: 'Alice' },
      threadKey: customerId,
      subject: 'Refund',
      text: 'Hello Alice, the refund is on its way.',
      html: '<p>Hello Alice, the refund is on its way.</p>',
      inReplyTo: customerId,
      references: [customerId],
      replyToken: TOKEN,
    });
    const sentBefore = harness.sink.messages.length;
    await publishOutbound(harness.bus, reply);
    const [receiptRecord] = await harness.probe.waitFor(
      'the sent receipt',
      (r) => r.event?.type === DELIVERY_RECEIPT_TYPE && (r.event.data as DeliveryReceipt).messageId === reply.messageId,
      { timeoutMs: 60_000 },
    );
    const receipt = receiptRecord.event?.data as DeliveryReceipt;
    expect(receipt).toMatchObject({ status: 'sent', conversationId: reply.conversationId, externalId: `<${reply.messageId}@acme.test>` });
    expect(receiptRecord.key).toBe(reply.conversationId);

    await harness.sink.waitFor(sentBefore + 1);
    const sent = harness.sink.messages[sentBefore];
    const replyAddress = inbox.address.replace('@', `+${TOKEN}@`);
    expect(sent.envelope).toEqual({ from: inbox.address, to: ['alice@customer.test'] });
    expect(sent.user).toBe('relay@acme.test');
    expect(sent.header('message-id')).toBe(`<${reply.messageId}@acme.test>`);
    expect(sent.header('in-reply-to')).toBe(customerId);
    expect(sent.header('references')).toBe(customerId);
    expect(sent.parsed.replyTo?.value).toEqual([{ address: replyAddress, name: 'Acme Support' }]);
    expect(sent.parsed.from?.value).toEqual([{ address: inbox.address, name: 'Acme Support' }]);
    expect(sent.parsed.subject).toBe('Re: Refund');
    expect(sent.parsed.text?.trim()).toBe('Hello Alice, the refund is on its way.');
    expect(sent.parsed.html).toContain('<p>Hello Alice, the refund is on its way.</p>');
    expect(sent.raw.toString('utf8')).not.toContain(SMTP_PASSWORD);

    // the customer answers the reply: to the Reply-To address, with the References chain
    const ourId = receipt.status === 'sent' ? receipt.externalId : '';
    await harness.dovecot.deliver(
      replyAddress,
      mail({ from: 'Alice <alice@customer.test>', to: `Acme Support <${replyAddress}>`, subject: 'Re: Refund', messageId: '<c2-second@customer.test>', inReplyTo: ourId, references: [customerId, ourId], body: 'Thanks!\n\nOn Mon, Acme Support wrote:\n> Hello Alice, the refund is on its way.' }),
    );
    const answer = await harness.inboundWhere(inbox, (m) => m.externalId === '<c2-second@customer.test>', "the customer's answer");
    expect(answer).toMatchObject({
      threadKey: customerId,
      inReplyTo: ourId,
      references: [customerId, ourId],
      replyToken: TOKEN,
      sender: { externalId: 'alice@customer.test' },
      quotedText: 'On Mon, Acme Support wrote:\n> Hello Alice, the refund is on its way.',
    });

    // someone else answers with the same References (a forwarded thread): the event names the other sender
    await harness.dovecot.deliver(
      inbox.address,
      mail({ from: 'Mallory <mallory@elsewhere.test>', to: inbox.address, subject: 'Re: Refund', messageId: '<c2-mallory@elsewhere.test>', inReplyTo: ourId, references: [customerId, ourId], body: 'Me too!' }),
    );
    const stranger = await harness.inboundWhere(inbox, (m) => m.externalId === '<c2-mallory@elsewhere.test>', "the stranger's answer");
    expect(stranger).toMatchObject({ threadKey: customerId, references: [customerId, ourId], sender: { externalId: 'mallory@elsewhere.test' } });
    expect(stranger.replyToken).toBeUndefined();
  });

  it('sends attachments from the blob store, and a bot reply as Auto-Submitted', async () => {
    const inbox = await runningInbox();
    const label = await harness.blobs.put({ name: 'return-label.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 return label') });
    const message = outboundMessage({
      inboxId: inbox.config.inboxId,
      channelType: 'email',
      recipient: { externalId: 'alice@customer.test', email: 'alice@customer.test' },
      subject: 'Your return label',
      text: 'Please print the attached label.',
      attachments: [label],
      sender: { type: 'bot', name: 'Returns bot' },
    });
    const before = harness.sink.messages.length;
    await publishOutbound(harness.bus, message);
    await harness.sink.waitFor(before + 1, 60_000);
    const sent = harness.sink.messages[before];
    expect(sent.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString('latin1')])).toEqual([['return-label.pdf', 'application/pdf', '%PDF-1.4 return label']]);
    expect(sent.header('auto-submitted')).toBe('auto-replied');
    expect(sent.parsed.subject).toBe('Your return label');
    expect(sent.header('in-reply-to')).toBeUndefined();
  });

  it('reports an SMTP rejection as a failed receipt with the reason (5xx permanent, 4xx retried)', async () => {
    const inbox = await runningInbox();
    const base = { inboxId: inbox.config.inboxId, channelType: 'email', recipient: { externalId: 'nobody@customer.test', email: 'nobody@customer.test' }, text: 'Hi' };
    harness.sink.reject({ code: 550, message: '5.1.1 <nobody@customer.test>: user unknown', times: 1 });
    const permanent = outboundMessage(base);
    await publishOutbound(harness.bus, permanent);
    const [failed] = await harness.probe.waitFor('a failed receipt', (r) => r.event?.type === DELIVERY_RECEIPT_TYPE && (r.event.data as DeliveryReceipt).messageId === permanent.messageId, { timeoutMs: 60_000 });
    expect(failed.event?.data).toMatchObject({ status: 'failed', code: 'NOT_FOUND', permanent: true, reason: expect.stringContaining('user unknown') });

    harness.sink.reject({ code: 451, message: '4.3.0 try again later', stage: 'data', times: 1 });
    const temporary = outboundMessage(base);
    const before = harness.sink.messages.length;
    await publishOutbound(harness.bus, temporary);
    const [sent] = await harness.probe.waitFor('a sent receipt after a retry', (r) => r.event?.type === DELIVERY_RECEIPT_TYPE && (r.event.data as DeliveryReceipt).messageId === temporary.messageId, { timeoutMs: 60_000 });
    expect(sent.event?.data).toMatchObject({ status: 'sent' });
    expect(harness.sink.messages.slice(before).map((m) => m.header('message-id'))).toEqual([`<${temporary.messageId}@acme.test>`]);
  });

  it('dead-letters malformed MIME with the reason and goes on with the next mail', async () => {
    const inbox = await runningInbox();
    await harness.dovecot.deliver(inbox.address, readFileSync(join(FIXTURE_DIR, 'malformed-no-headers.eml')));
    await harness.dovecot.deliver(inbox.address, mail({ from: 'bob@customer.test', to: inbox.address, subject: 'After the broken one', messageId: '<c4-after@customer.test>', body: 'still here' }));
    await harness.inboundWhere(inbox, (m) => m.externalId === '<c4-after@customer.test>', 'the mail after the malformed one');
    const [dead] = await harness.probe.waitFor('the dead letter', (r) => r.key.startsWith(`${inbox.config.inboxId}:`) && r.topic.endsWith(Topics.dlq), { timeoutMs: 60_000 });
    expect(dead.headers[DlqHeaders.error]).toMatch(/malformed email: no valid From address/);
    expect(dead.headers['x-connector-error-code']).toBe('INVALID_PAYLOAD');
    expect(dead.message.value.toString('latin1')).toContain('garbage without any header');
    expect(harness.inbound(inbox).map((m) => m.externalId)).toEqual(['<c4-after@customer.test>']);
  });

  it('refuses an attachment over the limit with a reason and still delivers the message', async () => {
    const inbox = await runningInbox();
    await harness.dovecot.deliver(inbox.address, readFileSync(join(FIXTURE_DIR, 'multipart-attachments.eml')));
    const message = await harness.inboundWhere(inbox, (m) => m.externalId === '<multipart-0001@company.test>', 'the mail with attachments');
    expect(message.text).toBe('The item arrived broken, see the photo and the receipt.');
    expect(message.attachments.map((a) => a.name)).toEqual(['photo.png', 'receipt.pdf']);
    expect(message.refusedAttachments).toEqual([expect.objectContaining({ name: 'видео запись.bin', size: 48 * 1024, reason: expect.stringContaining("larger than this inbox's attachment limit") })]);
    const stored = await harness.blobs.get(message.attachments[1].key);
    expect(stored.toString('latin1')).toContain('%PDF-1.4');
  });

  it('marks the inbox as needing credentials when the IMAP login is rejected, without a retry loop', async () => {
    const inbox = await harness.newInbox({}, { imapPassword: 'wrong-password-NEVER-LOG' });
    await harness.publish(inbox.config);
    const [status] = await harness.probe.waitFor(
      'needs_credentials',
      (r) => r.event?.type === CHANNEL_STATUS_TYPE && (r.event.data as ChannelStatus).inboxId === inbox.config.inboxId,
      { timeoutMs: 60_000 },
    );
    expect(status.event?.data).toMatchObject({ state: 'needs_credentials', reason: expect.stringContaining('IMAP login rejected') });
    expect(host.inbox(inbox.config.inboxId)?.state).toBe('needs_credentials');
    expect(harness.logger.text()).not.toContain('wrong-password-NEVER-LOG');
  });

  it('reports needs_credentials when the password changes while running (after a disconnect)', async () => {
    const inbox = await runningInbox();
    await harness.dovecot.setPassword(inbox.address, 'rotated-password');
    await harness.dovecot.kick(inbox.address);
    const [status] = await harness.probe.waitFor(
      'needs_credentials after the kick',
      (r) => r.event?.type === CHANNEL_STATUS_TYPE && (r.event.data as ChannelStatus).inboxId === inbox.config.inboxId && (r.event.data as ChannelStatus).state === 'needs_credentials',
      { timeoutMs: 60_000 },
    );
    expect((status.event?.data as ChannelStatus).reason).toContain('IMAP login rejected');
  });

  it('reconnects after a disconnect and picks up the mail that arrived meanwhile', async () => {
    const inbox = await runningInbox();
    await harness.dovecot.kick(inbox.address);
    await harness.dovecot.deliver(inbox.address, mail({ from: 'carl@customer.test', to: inbox.address, subject: 'While you were away', messageId: '<c8-away@customer.test>', body: 'hello again' }));
    await harness.inboundWhere(inbox, (m) => m.externalId === '<c8-away@customer.test>', 'the mail after the reconnect');
    expect(host.inbox(inbox.config.inboxId)?.state).toBe('running');
  });

  it('after a UIDVALIDITY change re-reads recent mail under the same externalIds only, and goes on', async () => {
    const inbox = await runningInbox();
    for (const n of [1, 2, 3]) {
      await harness.dovecot.deliver(inbox.address, mail({ from: 'dora@customer.test', to: inbox.address, subject: `Mail ${n}`, messageId: `<c9-${n}@customer.test>`, body: `number ${n}` }));
    }
    await waitFor('three mails', () => harness.inbound(inbox).length === 3, { timeoutMs: 60_000 });
    await harness.dovecot.setUidValidity(inbox.address, 77_000_001);
    await harness.dovecot.kick(inbox.address);
    await harness.dovecot.deliver(inbox.address, mail({ from: 'dora@customer.test', to: inbox.address, subject: 'Mail 4', messageId: '<c9-4@customer.test>', body: 'number 4' }));
    await harness.inboundWhere(inbox, (m) => m.externalId === '<c9-4@customer.test>', 'the mail after the UIDVALIDITY change');
    const ids = harness.inbound(inbox).map((m) => m.externalId);
    expect(new Set(ids)).toEqual(new Set(['<c9-1@customer.test>', '<c9-2@customer.test>', '<c9-3@customer.test>', '<c9-4@customer.test>']));
    // the same externalId always carries the same message
    for (const message of harness.inbound(inbox)) expect(message.subject).toBe(`Mail ${message.externalId.slice(4, 5)}`);
    // the cursor follows the new UIDVALIDITY (committed right after the emit)
    const offset = await waitFor('the cursor under the new UIDVALIDITY', () =>
      harness.probe.of(Topics.connectorOffsets).find((r) => r.key === `email-imap:${inbox.config.inboxId}` && (r.event?.data as ConnectorOffset).position.uidValidity === 77_000_001 && (r.event?.data as ConnectorOffset).position.lastUid === 4),
    );
    expect(offset).toBeDefined();
  });
});
