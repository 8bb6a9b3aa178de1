import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old (or how far in the future) a signed timestamp may be: 5 minutes. Older ones are replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { valid: true } | { valid: false; reason: 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks Switchboard's `X-Switchboard-Signature: t=<unix seconds>,v1=<hex>` header, where the hex is
 * HMAC-SHA256(webhookSecret, "<t>.<raw body>"). Always verify the raw bytes you received, before
 * parsing them: re-serialized JSON would not match.
 *
 * @param nowSeconds the current unix time (a parameter so tests can move the clock)
 */
export function checkWebhookSignature(
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SignatureCheck {
  if (!header) return { valid: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    // several v1 values are allowed so that a secret can be rotated without downtime
    if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || candidates.length === 0) return { valid: false, reason: 'malformed' };
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS)
    return { valid: false, reason: 'expired' };

  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  // constant-time comparison (both sides are 32 bytes), against every candidate
  let matched = false;
  for (const candidate of candidates) matched = timingSafeEqual(expected, candidate) || matched;
  return matched ? { valid: true } : { valid: false, reason: 'mismatch' };
}
