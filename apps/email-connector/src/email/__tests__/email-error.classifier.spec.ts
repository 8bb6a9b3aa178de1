import { BlobNotFoundError } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import { EmailErrorClassifier } from '../email-error.classifier';

const smtp = (responseCode: number, response: string, code = 'EENVELOPE'): Error => Object.assign(new Error(`Can't send mail - ${response}`), { responseCode, response, code });
const net = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:993`), { code });

describe(EmailErrorClassifier.name, () => {
  const sut = new EmailErrorClassifier();

  it.each([
    ['IMAP AUTHENTICATIONFAILED', Object.assign(new Error('Command failed'), { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED', responseText: 'Authentication failed.' }), 'AUTH_INVALID'],
    ['SMTP 535 (EAUTH)', smtp(535, '535 5.7.8 Authentication credentials invalid', 'EAUTH'), 'AUTH_INVALID'],
    ['SMTP EAUTH without a code', Object.assign(new Error('Invalid login'), { code: 'EAUTH' }), 'AUTH_INVALID'],
    ['SMTP 530 authentication required', smtp(530, '530 5.7.0 Authentication required'), 'AUTH_INVALID'],
    ['SMTP 454 temporary auth failure', smtp(454, '454 4.7.0 Temporary authentication failure', 'EAUTH'), 'TEMPORARY'],
    ['SMTP 421 service not available', smtp(421, '421 4.3.2 Service not available'), 'TEMPORARY'],
    ['SMTP 451 local error', smtp(451, '451 4.3.0 Try again later', 'EMESSAGE'), 'TEMPORARY'],
    ['SMTP 450 rate limit', smtp(450, '450 4.7.28 Too many messages, slow down'), 'RATE_LIMITED'],
    ['SMTP 550 5.1.1 user unknown', smtp(550, '550 5.1.1 <bob@x.test>: Recipient address rejected: User unknown'), 'NOT_FOUND'],
    ['SMTP 550 without enhanced code, no such user', smtp(550, '550 No such user here'), 'NOT_FOUND'],
    ['SMTP 550 5.7.1 policy', smtp(550, '550 5.7.1 Message rejected as spam'), 'PERMISSION'],
    ['SMTP 554 transaction failed', smtp(554, '554 Transaction failed'), 'PERMISSION'],
    ['SMTP 552 message too large', smtp(552, '552 5.3.4 Message size exceeds fixed limit', 'EMESSAGE'), 'INVALID_PAYLOAD'],
    ['SMTP 501 syntax error', smtp(501, '501 5.5.4 Syntax error in parameters'), 'INVALID_PAYLOAD'],
    ['nodemailer EENVELOPE without a server answer', Object.assign(new Error('No recipients defined'), { code: 'EENVELOPE' }), 'INVALID_PAYLOAD'],
    ['ECONNRESET', net('ECONNRESET'), 'TEMPORARY'],
    ['ETIMEDOUT', net('ETIMEDOUT'), 'TEMPORARY'],
    ['ECONNREFUSED', net('ECONNREFUSED'), 'TEMPORARY'],
    ['nodemailer ECONNECTION', net('ECONNECTION'), 'TEMPORARY'],
    ['imapflow NoConnection', net('NoConnection'), 'TEMPORARY'],
    ['IMAP NONEXISTENT mailbox', Object.assign(new Error('Command failed'), { serverResponseCode: 'NONEXISTENT', responseText: 'Mailbox does not exist' }), 'NOT_FOUND'],
    ['IMAP UNAVAILABLE', Object.assign(new Error('Command failed'), { serverResponseCode: 'UNAVAILABLE' }), 'TEMPORARY'],
    ['a missing attachment blob', new BlobNotFoundError('2024/03/abc'), 'NOT_FOUND'],
    ['an unknown error', new Error('something odd'), 'TEMPORARY'],
    ['a thrown string', 'weird', 'TEMPORARY'],
  ])('classifies %s', (_name, error, code) => {
    const result = sut.classify(error);
    expect(result).toBeInstanceOf(ConnectorError);
    expect(result.code).toBe(code);
    expect(result.message.length).toBeGreaterThan(0);
  });

  it('passes a ConnectorError through unchanged', () => {
    const error = new ConnectorError('PERMISSION', 'no');
    expect(sut.classify(error)).toBe(error);
  });

  it('gives rate limits a retryAfter and quotes the server', () => {
    const result = sut.classify(smtp(421, '421 4.7.0 Too many connections, try again later'));
    expect(result).toMatchObject({ code: 'RATE_LIMITED', options: { retryAfterMs: 60_000 } });
    expect(result.message).toContain('Too many connections');
  });
});
