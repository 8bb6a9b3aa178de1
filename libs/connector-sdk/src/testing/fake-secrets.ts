import type { EncryptedSecret } from '@switchboard/common';

/**
 * A reversible stand-in for SecretBox in tests that exercise the host without the real key: the
 * "ciphertext" is the base64 of the value. Never use it outside tests.
 */
export function fakeEncrypt(value: string): EncryptedSecret {
  return { v: 1, iv: 'test-iv', tag: 'test-tag', data: Buffer.from(value, 'utf8').toString('base64') };
}

export function fakeDecrypt(secret: EncryptedSecret): string {
  if (secret.iv !== 'test-iv' || secret.tag !== 'test-tag') throw new Error('not a fakeEncrypt secret');
  return Buffer.from(secret.data, 'base64').toString('utf8');
}
