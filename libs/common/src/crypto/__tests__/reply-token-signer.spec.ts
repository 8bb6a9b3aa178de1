import { base32Decode, base32Encode } from '../base32';
import { ReplyTokenSigner } from '../reply-token-signer';

describe(ReplyTokenSigner.name, () => {
  const conversationId = '01890a5d-ac96-774b-bcce-b302099a8057';
  const sut = new ReplyTokenSigner(Buffer.alloc(32, 9));

  it('signs a conversation id into a short lower-case token that verifies back', () => {
    const token = sut.sign(conversationId);
    expect(token).toMatch(/^r[a-z2-7]{42}$/);
    expect(`reply+${token}`.length).toBeLessThanOrEqual(64);
    expect(sut.verify(token)).toBe(conversationId);
    expect(sut.verify(token.toUpperCase())).toBe(conversationId);
  });

  it('rejects a token signed with another key, altered, truncated or of another version', () => {
    const token = sut.sign(conversationId);
    expect(new ReplyTokenSigner(Buffer.alloc(32, 8)).verify(token)).toBeUndefined();
    const altered = token.slice(0, 5) + (token[5] === 'a' ? 'b' : 'a') + token.slice(6);
    expect(sut.verify(altered)).toBeUndefined();
    expect(sut.verify(token.slice(0, -1))).toBeUndefined();
    expect(sut.verify(`x${token.slice(1)}`)).toBeUndefined();
    expect(sut.verify('r!!!')).toBeUndefined();
  });

  it('finds the token in a plus-addressed recipient', () => {
    const token = sut.sign(conversationId);
    expect(sut.extractFromAddress(`support+${token}@example.org`)).toBe(token);
    expect(sut.extractFromAddress('support@example.org')).toBeUndefined();
  });

  it('signs only UUIDs', () => {
    expect(() => sut.sign('conversation-1')).toThrow(RangeError);
  });
});

describe('base32', () => {
  it('round-trips and matches RFC 4648 vectors (lower case, no padding)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('mzxw6ytboi');
    expect(base32Decode('MZXW6YTBOI')?.toString()).toBe('foobar');
    for (let n = 0; n < 40; n++) {
      const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
      expect(base32Decode(base32Encode(bytes))?.equals(bytes)).toBe(true);
    }
  });

  it('rejects foreign characters and non-canonical trailing bits', () => {
    expect(base32Decode('mzxw6ytboi1')).toBeUndefined();
    expect(base32Decode('mzxw6ytboj')).toBeUndefined();
  });
});
