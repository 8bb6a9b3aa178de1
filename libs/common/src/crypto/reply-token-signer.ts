import { createHmac, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from './base32';
import { deriveKey, type KeyMaterial } from './hmac';

const VERSION = 'r';
const ID_BYTES = 16;
const ID_CHARS = 26;
const MAC_BYTES = 10;
const MAC_CHARS = 16;

function uuidBytes(id: string): Buffer {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError('a reply token signs a UUID');
  return Buffer.from(hex, 'hex');
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Signed reply tokens for email: `r` + base32(conversation id bytes) + base32(first 80 bits of
 * HMAC-SHA256). 43 lower-case letters and digits, so `reply+<token>@domain` fits the 64-character
 * local part and survives case folding. The key is derived from the master key with HKDF for
 * this purpose only ("switchboard/reply-token/v1").
 */
export class ReplyTokenSigner {
  private readonly key: Buffer;

  constructor(master: KeyMaterial) {
    this.key = deriveKey(master, 'switchboard/reply-token/v1');
  }

  sign(conversationId: string): string {
    const id = uuidBytes(conversationId);
    return VERSION + base32Encode(id) + base32Encode(this.mac(id));
  }

  /** The conversation id, or undefined when the token is malformed or its MAC does not verify. */
  verify(token: string): string | undefined {
    const normalized = token.trim().toLowerCase();
    if (normalized.length !== 1 + ID_CHARS + MAC_CHARS || normalized[0] !== VERSION) return undefined;
    const id = base32Decode(normalized.slice(1, 1 + ID_CHARS));
    const mac = base32Decode(normalized.slice(1 + ID_CHARS));
    if (!id || !mac || id.length !== ID_BYTES || mac.length !== MAC_BYTES) return undefined;
    return timingSafeEqual(mac, this.mac(id)) ? uuidString(id) : undefined;
  }

  /** Finds a token in an address like `reply+<token>@support.example.org` (any `+` tag). */
  extractFromAddress(address: string): string | undefined {
    const local = address.trim().split('@')[0] ?? '';
    const tag = local.includes('+') ? local.slice(local.lastIndexOf('+') + 1) : local;
    return this.verify(tag) ? tag.toLowerCase() : undefined;
  }

  private mac(id: Buffer): Buffer {
    return createHmac('sha256', this.key).update(id).digest().subarray(0, MAC_BYTES);
  }
}
