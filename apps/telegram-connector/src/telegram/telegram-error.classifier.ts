import { GrammyError, HttpError } from 'grammy';
import { BlobNotFoundError, BlobTooLargeError } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';

/** a bot token (`<bot id>:<35 chars>`) wherever it might appear in a message */
const TOKEN_PATTERN = /\d{5,}:[A-Za-z0-9_-]{20,}/g;

/** removes bot tokens from text that may reach logs or receipts */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, '<redacted-token>');
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown; error?: unknown }).cause ?? (current as { error?: unknown }).error;
  }
  return undefined;
}

/**
 * Maps what the Bot API or the network did to a ConnectorError (STYLE.md "Connectors"):
 * 429 → RATE_LIMITED with retry_after; 401 (and 404, which Telegram answers for a malformed
 * token) → AUTH_INVALID; 403 (blocked by the user, kicked from the group) → PERMISSION;
 * 400 chat/user not found → NOT_FOUND, other 400 → INVALID_PAYLOAD; 409, 5xx and network
 * failures → TEMPORARY. Messages never carry the bot token.
 */
export function classifyTelegramError(error: unknown): ConnectorError {
  if (ConnectorError.is(error)) return error;
  if (error instanceof GrammyError) {
    const description = redactTokens(error.description);
    const what = `Telegram ${error.method}: ${description}`;
    switch (true) {
      case error.error_code === 429:
        return new ConnectorError('RATE_LIMITED', what, { retryAfterMs: (error.parameters.retry_after ?? 1) * 1000, cause: error });
      case error.error_code === 401 || error.error_code === 404:
        return new ConnectorError('AUTH_INVALID', `${what} (the bot token was rejected)`, { cause: error });
      case error.error_code === 403:
        return new ConnectorError('PERMISSION', description, { cause: error });
      case error.error_code === 400 && /not found|chat_id is empty|PEER_ID_INVALID/i.test(description):
        return new ConnectorError('NOT_FOUND', description, { cause: error });
      case error.error_code === 400 && /file is too big/i.test(description):
        return new ConnectorError('UNSUPPORTED', description, { cause: error });
      case error.error_code === 400:
        return new ConnectorError('INVALID_PAYLOAD', what, { cause: error });
      default:
        return new ConnectorError('TEMPORARY', what, { cause: error });
    }
  }
  if (error instanceof HttpError) {
    return new ConnectorError('TEMPORARY', redactTokens(`network error talking to the Bot API: ${error.message}`), { cause: error });
  }
  if (error instanceof BlobTooLargeError) return new ConnectorError('UNSUPPORTED', error.message, { cause: error });
  if (error instanceof BlobNotFoundError) return new ConnectorError('NOT_FOUND', error.message, { cause: error });
  const code = errorCode(error);
  const message = redactTokens(error instanceof Error ? error.message : String(error));
  if (code && TRANSIENT_CODES.has(code)) return new ConnectorError('TEMPORARY', `${code}: ${message}`, { cause: error });
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new ConnectorError('TEMPORARY', message, { cause: error });
  }
  return new ConnectorError('TEMPORARY', message, { cause: error });
}
