import { randomBytes } from 'node:crypto';
import { encryptedSecretSchema } from '../../contracts/schemas/channel-config.schema';
import { SecretDecryptionError } from '../crypto-errors';
import { SecretBox } from '../secret-box';

describe(SecretBox.name, () => {
  const key = randomBytes(32);
  const sut = new SecretBox(key);

  it('encrypts to the EncryptedSecret shape and decrypts back, also unicode', () => {
    const secret = sut.encrypt('123456:ABC-пароль-🔑');
    expect(encryptedSecretSchema.parse(secret)).toEqual(secret);
    expect(secret.data).not.toContain('ABC');
    expect(sut.decrypt(secret)).toBe('123456:ABC-пароль-🔑');
  });

  it('uses a fresh IV per encryption', () => {
    const a = sut.encrypt('same');
    const b = sut.encrypt('same');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  it('refuses the wrong key with a typed error', () => {
    const secret = sut.encrypt('s3cret');
    expect(() => new SecretBox(randomBytes(32)).decrypt(secret)).toThrow(SecretDecryptionError);
  });

  it('refuses tampered data, tag or iv', () => {
    const secret = sut.encrypt('s3cret');
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] ^= 1;
      return bytes.toString('base64');
    };
    expect(() => sut.decrypt({ ...secret, data: flip(secret.data) })).toThrow(SecretDecryptionError);
    expect(() => sut.decrypt({ ...secret, tag: flip(secret.tag) })).toThrow(SecretDecryptionError);
    expect(() => sut.decrypt({ ...secret, iv: flip(secret.iv) })).toThrow(SecretDecryptionError);
    expect(() => sut.decrypt({ ...secret, tag: 'AAAA' })).toThrow('iv or tag has the wrong length');
    expect(() => sut.decrypt({ v: 2, iv: 'x', tag: 'y', data: 'z' } as never)).toThrow(SecretDecryptionError);
  });

  it('binds a context: a ciphertext does not open under another inbox or name', () => {
    const secret = sut.encrypt('token', 'inbox-1:botToken');
    expect(sut.decrypt(secret, 'inbox-1:botToken')).toBe('token');
    expect(() => sut.decrypt(secret, 'inbox-2:botToken')).toThrow(SecretDecryptionError);
    expect(() => sut.decrypt(secret)).toThrow(SecretDecryptionError);
  });

  it('encrypts and decrypts a record of secrets', () => {
    const sealed = sut.encryptAll({ botToken: 'b', password: 'p' }, 'inbox-1:');
    expect(Object.keys(sealed)).toEqual(['botToken', 'password']);
    expect(sut.decryptAll(sealed, 'inbox-1:')).toEqual({ botToken: 'b', password: 'p' });
    expect(() => sut.decryptAll({ botToken: sealed.password }, 'inbox-1:')).toThrow(SecretDecryptionError);
  });

  it('takes a base64 key and rejects a key of the wrong size', () => {
    const secret = SecretBox.fromBase64(key.toString('base64')).encrypt('x');
    expect(SecretBox.fromBase64(key.toString('base64url')).decrypt(secret)).toBe('x');
    expect(() => new SecretBox(randomBytes(16))).toThrow('32-byte key');
  });
});
