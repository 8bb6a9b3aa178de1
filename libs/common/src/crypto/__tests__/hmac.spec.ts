import { createHmac } from 'node:crypto';
import { deriveKey, hmacSha256Hex, timingSafeEqualStrings, verifyHmacSha256Hex } from '../hmac';
import { signWebhook, verifyWebhookSignature } from '../webhook-signature';

describe('hmac helpers', () => {
  it('computes HMAC-SHA256 like the reference implementation', () => {
    expect(hmacSha256Hex('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('verifies hex signatures in constant time, case-insensitively', () => {
    const signature = hmacSha256Hex('identity-secret', 'user-42');
    expect(verifyHmacSha256Hex('identity-secret', 'user-42', signature.toUpperCase())).toBe(true);
    expect(verifyHmacSha256Hex('identity-secret', 'user-43', signature)).toBe(false);
    expect(verifyHmacSha256Hex('identity-secret', 'user-42', signature.slice(0, 10))).toBe(false);
    expect(timingSafeEqualStrings('abc', 'abc')).toBe(true);
    expect(timingSafeEqualStrings('abc', 'abcd')).toBe(false);
  });

  it('derives distinct keys per purpose', () => {
    const master = Buffer.alloc(32, 1);
    expect(deriveKey(master, 'a')).toHaveLength(32);
    expect(deriveKey(master, 'a').equals(deriveKey(master, 'a'))).toBe(true);
    expect(deriveKey(master, 'a').equals(deriveKey(master, 'b'))).toBe(false);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({ event: 'message.created', text: 'Здравствуйте' });
  const t = 1_750_000_000;

  it('signs "t=<unix>,v1=<hex>" over "<t>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhook(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts a fresh signature and rejects replays, tampering and garbage', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature(secret, body, header, { now: t + 10 })).toEqual({
      valid: true,
      timestamp: t,
    });
    expect(verifyWebhookSignature(secret, Buffer.from(body), header, { now: t - 10 })).toEqual({
      valid: true,
      timestamp: t,
    });
    expect(verifyWebhookSignature(secret, body, header, { now: t + 301 })).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(verifyWebhookSignature(secret, body, header, { now: t + 30, toleranceSeconds: 20 })).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(verifyWebhookSignature(secret, `${body} `, header, { now: t })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature('other', body, header, { now: t })).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(secret, body, 'v1=abc', { now: t })).toEqual({
      valid: false,
      reason: 'malformed',
    });
    expect(verifyWebhookSignature(secret, body, undefined, { now: t })).toEqual({
      valid: false,
      reason: 'malformed',
    });
  });

  it('accepts any of several v1 signatures (key rotation)', () => {
    const current = signWebhook(secret, body, t).split('v1=')[1];
    const old = signWebhook('old-secret', body, t).split('v1=')[1];
    expect(verifyWebhookSignature(secret, body, `t=${t},v1=${old},v1=${current}`, { now: t })).toEqual({
      valid: true,
      timestamp: t,
    });
  });
});
