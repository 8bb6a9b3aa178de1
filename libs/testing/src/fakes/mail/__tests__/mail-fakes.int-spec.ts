import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { PrivateDovecot } from '../private-dovecot';
import { SmtpSink } from '../smtp-sink';

jest.setTimeout(60_000);

const raw = (id: string, to = 'support+tok-1@example.test'): string =>
  `From: Alice <alice@customer.test>\r\nTo: ${to}\r\nSubject: Hello ${id}\r\nMessage-ID: <${id}@customer.test>\r\n\r\nBody ${id}\r\n`;

describe(PrivateDovecot.name, () => {
  let sut: PrivateDovecot;

  beforeAll(async () => {
    sut = await PrivateDovecot.start({ users: [{ address: 'support@example.test', password: 'secret-1' }] });
  });
  afterAll(async () => {
    await sut?.stop();
  });

  it('delivers by LMTP into the base user of a plus-address, readable over IMAP with Delivered-To', async () => {
    await sut.deliver('support+tok-1@example.test', raw('m1'), { envelopeFrom: 'alice@customer.test' });
    const client = new ImapFlow({ host: sut.host, port: sut.imapPort, secure: false, auth: { user: 'support@example.test', pass: 'secret-1' }, logger: false });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const message = await client.fetchOne('*', { source: true, uid: true });
        const source = message && message.source ? message.source.toString() : '';
        expect(source).toContain('Delivered-To: support+tok-1@example.test');
        expect(source).toContain('Message-ID: <m1@customer.test>');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('rejects a wrong password and accepts the new one after setPassword', async () => {
    const login = async (pass: string): Promise<void> => {
      const client = new ImapFlow({ host: sut.host, port: sut.imapPort, secure: false, auth: { user: 'support@example.test', pass }, logger: false });
      await client.connect();
      await client.logout();
    };
    await expect(login('wrong')).rejects.toMatchObject({ authenticationFailed: true });
    await sut.setPassword('support@example.test', 'secret-2');
    await expect(login('secret-2')).resolves.toBeUndefined();
    await sut.setPassword('support@example.test', 'secret-1');
  });

  it('changes a mailbox UIDVALIDITY on demand', async () => {
    await sut.setUidValidity('support@example.test', 424242);
    const client = new ImapFlow({ host: sut.host, port: sut.imapPort, secure: false, auth: { user: 'support@example.test', pass: 'secret-1' }, logger: false });
    await client.connect();
    try {
      const status = await client.status('INBOX', { uidValidity: true });
      expect(status && Number(status.uidValidity)).toBe(424242);
    } finally {
      await client.logout();
    }
  });
});

describe(SmtpSink.name, () => {
  let sut: SmtpSink;

  beforeAll(async () => {
    sut = await SmtpSink.start({ users: { agent: 'pw' } });
  });
  afterAll(async () => {
    await sut?.stop();
  });

  const send = (pass = 'pw') =>
    createTransport({ host: sut.host, port: sut.port, secure: false, ignoreTLS: true, auth: { user: 'agent', pass } }).sendMail({
      from: 'support@example.test',
      to: 'alice@customer.test',
      subject: 'Re: Hello',
      text: 'Hi',
      messageId: '<out-1@example.test>',
    });

  it('records accepted mail with its envelope and headers', async () => {
    await send();
    expect(sut.messages).toHaveLength(1);
    expect(sut.messages[0].envelope).toEqual({ from: 'support@example.test', to: ['alice@customer.test'] });
    expect(sut.messages[0].header('message-id')).toBe('<out-1@example.test>');
    expect(sut.messages[0].user).toBe('agent');
  });

  it('rejects with the configured code, then accepts again', async () => {
    sut.reject({ code: 550, message: '5.1.1 no such user', times: 1 });
    await expect(send()).rejects.toMatchObject({ responseCode: 550 });
    sut.reject({ code: 451, message: '4.3.0 try later', stage: 'data', times: 1 });
    await expect(send()).rejects.toMatchObject({ responseCode: 451 });
    await send();
    expect(sut.messages).toHaveLength(2);
  });

  it('rejects a wrong password with 535', async () => {
    await expect(send('nope')).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
  });
});
