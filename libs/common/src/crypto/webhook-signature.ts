import { hmacSha256Hex, timingSafeEqualStrings, type KeyMaterial } from './hmac';

/** The header carrying outgoing webhook signatures (API.md, "Bots"). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-switchboard-signature';

/** Default window for a signature's timestamp, in seconds, either side of now. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
export function signWebhook(
  secret: KeyMaterial,
  body: string | Buffer,
  timestamp: number = nowSeconds(),
): string {
  const t = Math.floor(timestamp);
  return `t=${t},v1=${hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${t}.`), Buffer.from(body)]))}`;
}

export type WebhookVerification =
  { valid: true; timestamp: number } | { valid: false; reason: 'malformed' | 'expired' | 'mismatch' };

export interface VerifyWebhookOptions {
  toleranceSeconds?: number;
  /** unix seconds (default: now) */
  now?: number;
}

/**
 * Checks a `t=…,v1=…` header against the raw body: the timestamp must be within the tolerance
 * window (replays are refused) and one of the v1 signatures must match (several allow key rotation).
 */
export function verifyWebhookSignature(
  secret: KeyMaterial,
  body: string | Buffer,
  header: string | undefined,
  options: VerifyWebhookOptions = {},
): WebhookVerification {
  if (!header) return { valid: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-fA-F]{64}$/.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) return { valid: false, reason: 'malformed' };
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs((options.now ?? nowSeconds()) - timestamp) > tolerance)
    return { valid: false, reason: 'expired' };
  const expected = signWebhook(secret, body, timestamp).split('v1=')[1];
  // compare against every candidate so the time does not reveal which one matched
  const matched = signatures.map((signature) => timingSafeEqualStrings(expected, signature)).some(Boolean);
  return matched ? { valid: true, timestamp } : { valid: false, reason: 'mismatch' };
}
