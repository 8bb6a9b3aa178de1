import { BlobNotFoundError } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';

/** Network failures worth retrying (Node, nodemailer and imapflow codes). */
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND',
  'ECONNABORTED', 'ESOCKET', 'ECONNECTION', 'EDNS', 'ETLS', 'EPROTOCOL', 'ETIMEOUT',
  'NoConnection', 'EConnectionClosed', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ClosedAfterConnectText',
  'ClosedAfterConnectTLS', 'LockTimeout', 'ETHROTTLE',
]);

interface TransportErrorShape {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
  authenticationFailed?: unknown;
  serverResponseCode?: unknown;
  responseText?: unknown;
  command?: unknown;
}

/**
 * Maps IMAP (imapflow), SMTP (nodemailer) and network failures to ConnectorError codes:
 * - IMAP login rejected (AUTHENTICATIONFAILED), SMTP 535 / 534 / 530 / EAUTH / ENOAUTH → AUTH_INVALID
 *   (the host marks the inbox needs_credentials; no retry loop);
 * - SMTP 4xx → TEMPORARY (RATE_LIMITED with a 60 s wait when the server says it throttles);
 * - SMTP 5xx → permanent: 5.1.x / "user unknown" → NOT_FOUND, 5.7.x / 554 → PERMISSION,
 *   552 / 5.3.4 / 5.6.x / 500–504 syntax → INVALID_PAYLOAD, other 5xx → PERMISSION;
 * - ECONNRESET / ETIMEDOUT / ECONNREFUSED, DNS, TLS, imapflow connection codes → TEMPORARY;
 * - IMAP NONEXISTENT mailbox / a missing attachment blob → NOT_FOUND;
 * - anything else → TEMPORARY (retried, then failed non-permanently by the host).
 * Messages quote the server's answer, never credentials.
 */
export class EmailErrorClassifier {
  classify(error: unknown): ConnectorError {
    if (ConnectorError.is(error)) return error;
    if (error instanceof BlobNotFoundError) return new ConnectorError('NOT_FOUND', `attachment is missing from the blob store: ${error.key}`, { cause: error });
    const shape = (typeof error === 'object' && error !== null ? error : {}) as TransportErrorShape;
    const code = typeof shape.code === 'string' ? shape.code : undefined;
    const message = describe(error, shape);

    if (shape.authenticationFailed === true || ['AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'EXPIRED', 'PRIVACYREQUIRED'].includes(String(shape.serverResponseCode))) {
      return new ConnectorError('AUTH_INVALID', `IMAP login rejected: ${message}`, { cause: error });
    }
    if (shape.serverResponseCode === 'NONEXISTENT') return new ConnectorError('NOT_FOUND', `IMAP mailbox not found: ${message}`, { cause: error });
    if (shape.serverResponseCode === 'UNAVAILABLE' || shape.serverResponseCode === 'INUSE') {
      return new ConnectorError('TEMPORARY', `IMAP server unavailable: ${message}`, { cause: error });
    }

    const smtp = typeof shape.responseCode === 'number' ? shape.responseCode : undefined;
    if (code === 'EAUTH' || code === 'ENOAUTH' || smtp === 535 || smtp === 534 || smtp === 530) {
      if (smtp === 454) return new ConnectorError('TEMPORARY', `SMTP authentication temporarily failed: ${message}`, { cause: error });
      return new ConnectorError('AUTH_INVALID', `SMTP login rejected: ${message}`, { cause: error });
    }
    if (smtp !== undefined && smtp >= 400 && smtp < 500) {
      if (/rate|too many|throttl|try again later.*(minute|hour)/i.test(message) || /\b4\.7\.(0|28)\b/.test(message)) {
        return new ConnectorError('RATE_LIMITED', `SMTP server is throttling: ${message}`, { retryAfterMs: 60_000, cause: error });
      }
      return new ConnectorError('TEMPORARY', `SMTP temporary failure: ${message}`, { cause: error });
    }
    if (smtp !== undefined && smtp >= 500 && smtp < 600) return this.permanentSmtp(smtp, message, error);

    if (code === 'EENVELOPE' || code === 'EMESSAGE' || code === 'EMAXRECIPIENTS' || code === 'ESTREAM') {
      return new ConnectorError('INVALID_PAYLOAD', `message rejected before sending: ${message}`, { cause: error });
    }
    if (code && (TRANSIENT_CODES.has(code) || code.startsWith('ParserError'))) {
      return new ConnectorError('TEMPORARY', `mail server connection failed: ${message}`, { cause: error });
    }
    return new ConnectorError('TEMPORARY', message, { cause: error });
  }

  private permanentSmtp(smtp: number, message: string, error: unknown): ConnectorError {
    const enhanced = /\b5\.(\d{1,3})\.(\d{1,3})\b/.exec(message);
    const subject = enhanced ? Number(enhanced[1]) : undefined;
    if (subject === 1 || /user unknown|no such user|unknown user|mailbox (unavailable|not found)|does not exist|recipient (address )?rejected/i.test(message)) {
      return new ConnectorError('NOT_FOUND', `recipient rejected (SMTP ${smtp}): ${message}`, { cause: error });
    }
    if (subject === 7) return new ConnectorError('PERMISSION', `refused by policy (SMTP ${smtp}): ${message}`, { cause: error });
    if (smtp === 552 || subject === 6 || (subject === 3 && enhanced?.[2] === '4') || (smtp >= 500 && smtp <= 504)) {
      return new ConnectorError('INVALID_PAYLOAD', `message refused (SMTP ${smtp}): ${message}`, { cause: error });
    }
    return new ConnectorError('PERMISSION', `message refused (SMTP ${smtp}): ${message}`, { cause: error });
  }
}

function describe(error: unknown, shape: TransportErrorShape): string {
  const parts: string[] = [];
  if (typeof shape.response === 'string' && shape.response) parts.push(shape.response);
  else if (typeof shape.responseText === 'string' && shape.responseText) parts.push(shape.responseText);
  else if (error instanceof Error && error.message) parts.push(error.message);
  else if (typeof error === 'string') parts.push(error);
  if (typeof shape.code === 'string' && !parts.some((part) => part.includes(String(shape.code)))) parts.push(`(${shape.code})`);
  return (parts.join(' ') || 'unknown error').slice(0, 1000);
}
