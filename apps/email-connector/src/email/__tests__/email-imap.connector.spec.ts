import type { InboundMessage } from '@switchboard/common';
import { describeConnectorContract } from '@switchboard/connector-sdk/testing';
import { EmailImapConnector } from '../email-imap.connector';
import type { EmailSettings } from '../email-settings.schema';
import type { RawEmail } from '../email.types';
import { fixture, FIXTURE_TOKEN, fixtureNames, runtimeConfig } from './email-fixtures';

/** IMAP and SMTP point at a closed port: the round trip checks that a failing start leaks no secret */
const config = runtimeConfig();

const one = (check: (message: InboundMessage) => void) => (messages: InboundMessage[]) => {
  expect(messages).toHaveLength(1);
  check(messages[0]);
};

const checks: Record<string, (messages: InboundMessage[]) => void> = {
  'english-gmail-reply': one((m) => expect(m).toMatchObject({ externalId: '<CAF=xk2Yp0q1@mail.gmail.test>', replyToken: FIXTURE_TOKEN, threadKey: '<CAF=first-msg@mail.gmail.test>' })),
  'russian-windows-1251': one((m) => expect(m.subject).toBe('Re: Возврат товара')),
  'russian-koi8r-qp': one((m) => expect(m.text).toContain('Подскажите, когда будет доставка?')),
  'iso-8859-5-base64': one((m) => expect(m.subject).toBe('Вопрос по заказу 2077')),
  'persian-reply': one((m) => expect(m.quotedText).toContain('نوشت:')),
  'quoted-printable-outlook': one((m) => expect(m.quotedText).toMatch(/^-----Original Message-----/)),
  'base64-html-no-message-id': one((m) => expect(m.externalId).toMatch(/^sha256:/)),
  'multipart-attachments': one((m) => {
    expect(m.attachments).toHaveLength(2);
    expect(m.refusedAttachments).toHaveLength(1);
  }),
  'auto-reply': one((m) => expect(m.autoReply).toBe(true)),
};

const smtpError = (responseCode: number, response: string, code = 'EENVELOPE') => Object.assign(new Error(response), { responseCode, response, code });

describeConnectorContract<EmailSettings, RawEmail>({
  name: 'Email (IMAP + SMTP)',
  connector: () => new EmailImapConnector({ reconnectInitialMs: 50, reconnectMaxMs: 200 }),
  config,
  payloads: fixtureNames()
    .filter((name) => name !== 'malformed-no-headers')
    .map((name) => ({ name, raw: fixture(name), check: checks[name] })),
  malformed: [
    { name: 'a message without a header section (recorded)', raw: fixture('malformed-no-headers') },
    { name: 'a message without a From address', raw: { source: Buffer.from('Subject: hello\r\nTo: support@acme.test\r\n\r\nhi\r\n') } },
    { name: 'an empty message', raw: { source: Buffer.alloc(0) } },
    { name: 'a string instead of a raw email', raw: 'From: a@b.c\r\n\r\nhi' },
    { name: 'null', raw: null },
  ],
  transportErrors: [
    { name: 'IMAP login rejected (AUTHENTICATIONFAILED)', error: Object.assign(new Error('Command failed'), { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED' }), code: 'AUTH_INVALID' },
    { name: 'SMTP 535 authentication failed', error: smtpError(535, '535 5.7.8 Authentication credentials invalid', 'EAUTH'), code: 'AUTH_INVALID' },
    { name: 'SMTP 421 throttled', error: smtpError(421, '421 4.7.0 Too many connections, try again later'), code: 'RATE_LIMITED', retryAfterMs: 60_000 },
    { name: 'SMTP 451 temporary failure', error: smtpError(451, '451 4.3.0 Try again later'), code: 'TEMPORARY' },
    { name: 'SMTP 550 user unknown', error: smtpError(550, '550 5.1.1 User unknown'), code: 'NOT_FOUND' },
    { name: 'SMTP 554 rejected as spam', error: smtpError(554, '554 5.7.1 Message rejected'), code: 'PERMISSION' },
    { name: 'SMTP 552 too large', error: smtpError(552, '552 5.3.4 Message too big'), code: 'INVALID_PAYLOAD' },
    { name: 'ECONNRESET', error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), code: 'TEMPORARY' },
    { name: 'ETIMEDOUT', error: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), code: 'TEMPORARY' },
    { name: 'ECONNREFUSED', error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:993'), { code: 'ECONNREFUSED' }), code: 'TEMPORARY' },
  ],
});

describe(EmailImapConnector.name, () => {
  it('refuses to start without an IMAP password (the inbox needs credentials)', async () => {
    const sut = new EmailImapConnector();
    const noPassword = { ...config, secrets: {} };
    await expect(sut.start(noPassword, {} as never)).rejects.toMatchObject({ code: 'AUTH_INVALID' });
  });
});
