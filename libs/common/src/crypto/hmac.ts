import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export type KeyMaterial = string | Buffer;

export function hmacSha256(key: KeyMaterial, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function hmacSha256Hex(key: KeyMaterial, data: string | Buffer): string {
  return hmacSha256(key, data).toString('hex');
}

/** Constant-time comparison of two strings (false when lengths differ, without early exit on content). */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** true when `signatureHex` is HMAC-SHA256(key, data) in hex (case-insensitive), compared in constant time. */
export function verifyHmacSha256Hex(key: KeyMaterial, data: string | Buffer, signatureHex: string): boolean {
  return timingSafeEqualStrings(hmacSha256Hex(key, data), signatureHex.trim().toLowerCase());
}

/** A key for one purpose derived from a master key (HKDF-SHA256), so one secret never serves two uses. */
export function deriveKey(master: KeyMaterial, purpose: string, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), purpose, bytes));
}
