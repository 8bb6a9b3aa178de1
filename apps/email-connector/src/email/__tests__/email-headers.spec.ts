import { AutoReplyDetector } from '../auto-reply.detector';
import { ReplyAddressCodec } from '../reply-address.codec';

describe(ReplyAddressCodec.name, () => {
  const sut = new ReplyAddressCodec('Support@Acme.test');

  it('encodes a token as a plus-address of the inbox', () => {
    expect(sut.encode('r4kfz7m2nq3xw5y6a7b8c9d2e3f4')).toBe('support+r4kfz7m2nq3xw5y6a7b8c9d2e3f4@acme.test');
  });

  it('refuses tokens that cannot live in a local part', () => {
    expect(sut.encode('a b')).toBeNull();
    expect(sut.encode('a/b')).toBeNull();
    expect(sut.encode('x'.repeat(60))).toBeNull();
  });

  it('extracts the first token of an address of this inbox, case-insensitively', () => {
    expect(sut.extract(['bob@acme.test', 'support@other.test', 'sales+zzz@acme.test', '<SUPPORT+Tok1@ACME.TEST>', 'support+tok2@acme.test'])).toBe('tok1');
    expect(sut.extract(['support@acme.test'])).toBeUndefined();
  });

  it('recognises the inbox address with and without detail', () => {
    expect(sut.isInboxAddress('support@acme.test')).toBe(true);
    expect(sut.isInboxAddress('support+x@acme.test')).toBe(true);
    expect(sut.isInboxAddress('support@acme.test.evil')).toBe(false);
  });
});

describe(AutoReplyDetector.name, () => {
  const sut = new AutoReplyDetector();
  const headers = (values: Record<string, string>) => (name: string) => values[name];

  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [{ 'auto-submitted': 'auto-generated; owner-email="x@y"' }, 'Auto-Submitted: auto-generated'],
    [{ 'x-autoreply': 'yes' }, 'x-autoreply: yes'],
    [{ 'x-autorespond': 'Out of office' }, 'x-autorespond: out of office'],
    [{ precedence: 'bulk' }, 'Precedence: bulk'],
    [{ precedence: 'junk' }, 'Precedence: junk'],
    [{ precedence: 'auto_reply' }, 'Precedence: auto_reply'],
    [{ 'return-path': '<>' }, 'null sender (bounce)'],
  ])('detects %j', (values, reason) => {
    expect(sut.detect(headers(values), 'text/plain')).toBe(reason);
  });

  it('detects a delivery status report', () => {
    expect(sut.detect(headers({}), 'multipart/report; report-type=delivery-status; boundary="x"')).toBe('delivery or read report');
  });

  it.each([[{ 'auto-submitted': 'no' }], [{ precedence: 'list' }], [{ 'return-path': '<alice@x.test>' }], [{}]])('treats %j as written by a person', (values) => {
    expect(sut.detect(headers(values), 'text/plain')).toBeUndefined();
  });
});
