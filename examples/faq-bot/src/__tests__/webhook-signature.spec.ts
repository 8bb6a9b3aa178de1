import { createHmac } from 'node:crypto';
import { checkWebhookSignature, SIGNATURE_TOLERANCE_SECONDS } from '../webhook-signature';

const SECRET = 'whsec-test-secret';
const NOW = 1_800_000_000;
const body = Buffer.from(
  JSON.stringify({ id: 'd-1', event: 'message.created', conversation: { id: 'c-1' } }),
);

/** signs the way Switchboard documents it, independently of the code under test */
function sign(secret: string, raw: Buffer, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret)
    .update(`${t}.${raw.toString('utf8')}`)
    .digest('hex')}`;
}

describe(checkWebhookSignature.name, () => {
  it('accepts a valid signature', () => {
    expect(checkWebhookSignature(SECRET, body, sign(SECRET, body, NOW), NOW)).toEqual({ valid: true });
  });

  it('accepts a signature a few minutes old, within the window', () => {
    const t = NOW - SIGNATURE_TOLERANCE_SECONDS + 5;
    expect(checkWebhookSignature(SECRET, body, sign(SECRET, body, t), NOW)).toEqual({ valid: true });
  });

  it('accepts when one of several v1 values matches (secret rotation)', () => {
    const header = `t=${NOW},v1=${'0'.repeat(64)},${sign(SECRET, body, NOW).split(',')[1]}`;
    expect(checkWebhookSignature(SECRET, body, header, NOW)).toEqual({ valid: true });
  });

  it('refuses a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('c-1', 'c-2'));
    expect(checkWebhookSignature(SECRET, tampered, sign(SECRET, body, NOW), NOW)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses a signature made with another secret', () => {
    expect(checkWebhookSignature(SECRET, body, sign('another-secret', body, NOW), NOW)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses a timestamp older than 5 minutes even with a correct signature (a replay)', () => {
    const t = NOW - SIGNATURE_TOLERANCE_SECONDS - 1;
    expect(checkWebhookSignature(SECRET, body, sign(SECRET, body, t), NOW)).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('refuses a timestamp more than 5 minutes in the future', () => {
    const t = NOW + SIGNATURE_TOLERANCE_SECONDS + 1;
    expect(checkWebhookSignature(SECRET, body, sign(SECRET, body, t), NOW)).toEqual({
      valid: false,
      reason: 'expired',
    });
  });

  it('refuses a signature whose timestamp was changed after signing', () => {
    const [, v1] = sign(SECRET, body, NOW - 10).split(',');
    expect(checkWebhookSignature(SECRET, body, `t=${NOW},${v1}`, NOW)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it.each([
    undefined,
    '',
    'garbage',
    `t=${NOW}`,
    `v1=${'a'.repeat(64)}`,
    `t=${NOW},v1=abc`,
    `t=soon,v1=${'a'.repeat(64)}`,
  ])('refuses a missing or malformed header %p', (header) => {
    expect(checkWebhookSignature(SECRET, body, header, NOW)).toEqual({ valid: false, reason: 'malformed' });
  });
});
