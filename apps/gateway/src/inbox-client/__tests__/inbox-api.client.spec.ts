import { DomainError, RateLimitedError } from '@switchboard/common/errors';
import { InboxApiClient, type InboxResponse } from '../inbox-api.client';

const answer = (status: number, body: unknown): InboxResponse => ({ status, headers: new Headers(), body, raw: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });

describe('InboxApiClient.toError', () => {
  it("keeps the inbox's 429 a rate limit, so the caller gets its Retry-After (shared login limits)", () => {
    const error = InboxApiClient.toError(
      answer(429, { error: { code: 'LOGIN_RATE_LIMITED', message: 'Too many failed logins; try again later', details: { retryAfterSeconds: 37 } } }),
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(37);
    expect(error).toMatchObject({ code: 'LOGIN_RATE_LIMITED', status: 429, message: 'Too many failed logins; try again later' });
  });

  it('gives a 429 without a usable wait one second', () => {
    const error = InboxApiClient.toError(answer(429, { error: { code: 'RATE_LIMITED', message: 'slow down', details: { retryAfterSeconds: 'soon' } } }));
    expect((error as RateLimitedError).retryAfterSeconds).toBe(1);
  });

  it("passes other refusals on with the inbox's code and status, and hides a failure as 502", () => {
    const refused = InboxApiClient.toError(answer(409, { error: { code: 'COLLISION', message: 'newer messages exist', details: { newer: 2 } } }));
    expect(refused).not.toBeInstanceOf(RateLimitedError);
    expect(refused).toMatchObject({ code: 'COLLISION', status: 409, details: { newer: 2 } });
    const failed = InboxApiClient.toError(answer(500, { error: { code: 'INTERNAL', message: 'boom' } }));
    expect(failed).toBeInstanceOf(DomainError);
    expect(failed).toMatchObject({ code: 'INBOX_ERROR', status: 502 });
  });
});
