import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { encryptedSecretSchema, type EncryptedSecret } from '../contracts/schemas/channel-config.schema';
import { SecretDecryptionError } from './crypto-errors';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest and on the channel-config topic (`{v:1, iv, tag, data}`, base64).
 * The key is SECRETS_KEY (32 bytes). An optional `context` (e.g. `<inboxId>:<secret name>`) is
 * bound as additional authenticated data, so a ciphertext copied to another inbox or field does not
 * open. Opening with the wrong key or context, or tampered data, throws SecretDecryptionError.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError(`SecretBox needs a 32-byte key, got ${key.length} bytes`);
    this.key = Buffer.from(key);
  }

  /** From a base64 (or base64url) string of 32 bytes. */
  static fromBase64(key: string): SecretBox {
    return new SecretBox(Buffer.from(key.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }

  encrypt(plaintext: string, context?: string): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  decrypt(secret: EncryptedSecret, context?: string): string {
    const parsed = encryptedSecretSchema.safeParse(secret);
    if (!parsed.success) throw new SecretDecryptionError('not an encrypted secret ({v:1, iv, tag, data})');
    const iv = Buffer.from(parsed.data.iv, 'base64');
    const tag = Buffer.from(parsed.data.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SecretDecryptionError('malformed encrypted secret (iv or tag has the wrong length)');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([
        decipher.update(Buffer.from(parsed.data.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('the secret does not decrypt: wrong key or context, or tampered data');
    }
  }

  /** Encrypts every value of a record (e.g. a channel's secrets), each bound to `<contextPrefix><name>`. */
  encryptAll(secrets: Record<string, string>, contextPrefix?: string): Record<string, EncryptedSecret> {
    return Object.fromEntries(
      Object.entries(secrets).map(([name, value]) => [
        name,
        this.encrypt(value, contextPrefix === undefined ? undefined : `${contextPrefix}${name}`),
      ]),
    );
  }

  decryptAll(secrets: Record<string, EncryptedSecret>, contextPrefix?: string): Record<string, string> {
    return Object.fromEntries(
      Object.entries(secrets).map(([name, value]) => [
        name,
        this.decrypt(value, contextPrefix === undefined ? undefined : `${contextPrefix}${name}`),
      ]),
    );
  }
}
