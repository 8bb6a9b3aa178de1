import { GrammyError, HttpError } from 'grammy';
import { BlobNotFoundError, BlobTooLargeError } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import { classifyTelegramError, redactTokens } from '../telegram-error.classifier';

const TOKEN = '7012345678:AAHk3cQ1xv0t8Zr2bW4yQp9nLm5sT6uV7wX';

function apiError(code: number, description: string, parameters: { retry_after?: number } = {}): GrammyError {
  return new GrammyError(`Call to 'sendMessage' failed! (${code}: ${description})`, { ok: false, error_code: code, description, parameters }, 'sendMessage', {});
}

describe(classifyTelegramError.name, () => {
  it.each([
    [apiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), 'RATE_LIMITED'],
    [apiError(401, 'Unauthorized'), 'AUTH_INVALID'],
    [apiError(404, 'Not Found'), 'AUTH_INVALID'],
    [apiError(403, 'Forbidden: bot was blocked by the user'), 'PERMISSION'],
    [apiError(403, 'Forbidden: bot was kicked from the supergroup chat'), 'PERMISSION'],
    [apiError(400, 'Bad Request: chat not found'), 'NOT_FOUND'],
    [apiError(400, 'Bad Request: file is too big'), 'UNSUPPORTED'],
    [apiError(400, "Bad Request: can't parse entities: Unsupported start tag"), 'INVALID_PAYLOAD'],
    [apiError(409, 'Conflict: terminated by other getUpdates request'), 'TEMPORARY'],
    [apiError(502, 'Bad Gateway'), 'TEMPORARY'],
    [new HttpError("Network request for 'sendMessage' failed!", new Error('socket hang up')), 'TEMPORARY'],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'TEMPORARY'],
    [new BlobTooLargeError(10, 20), 'UNSUPPORTED'],
    [new BlobNotFoundError('2024/11/x'), 'NOT_FOUND'],
  ])('classifies %s as %s', (error, code) => {
    const sut = classifyTelegramError(error);
    expect(sut).toBeInstanceOf(ConnectorError);
    expect(sut.code).toBe(code);
  });

  it('carries retry_after as retryAfterMs and keeps the reason of a 403', () => {
    expect(classifyTelegramError(apiError(429, 'Too Many Requests: retry after 7', { retry_after: 7 })).options.retryAfterMs).toBe(7000);
    expect(classifyTelegramError(apiError(403, 'Forbidden: bot was blocked by the user')).message).toBe('Forbidden: bot was blocked by the user');
  });

  it('returns a ConnectorError unchanged', () => {
    const error = new ConnectorError('NOT_FOUND', 'gone');
    expect(classifyTelegramError(error)).toBe(error);
  });

  it('never lets a bot token through in the message', () => {
    const sut = classifyTelegramError(new Error(`request to https://api.telegram.org/file/bot${TOKEN}/photos/1.jpg failed`));
    expect(sut.message).not.toContain(TOKEN);
    expect(redactTokens(`bot${TOKEN}/getMe`)).toBe('bot<redacted-token>/getMe');
  });
});
