import { z } from 'zod';
import { ConflictError } from '../conflict.error';
import { DomainError } from '../domain-error';
import { ForbiddenError } from '../forbidden.error';
import { NotFoundError } from '../not-found.error';
import { parseBody } from '../parse-body';
import { PayloadTooLargeError } from '../payload-too-large.error';
import { RateLimitedError } from '../rate-limited.error';
import { UnauthorizedError } from '../unauthorized.error';
import { UnprocessableError } from '../unprocessable.error';
import { ValidationFailedError } from '../validation-failed.error';
import { ZodValidationPipe } from '../zod-validation.pipe';

describe(DomainError.name, () => {
  it.each([
    [new NotFoundError(), 404, 'NOT_FOUND'],
    [new ConflictError('newer messages exist', { code: 'COLLISION' }), 409, 'COLLISION'],
    [new UnprocessableError(), 422, 'UNPROCESSABLE'],
    [new ForbiddenError(), 403, 'FORBIDDEN'],
    [new UnauthorizedError(), 401, 'UNAUTHORIZED'],
    [new PayloadTooLargeError(), 413, 'PAYLOAD_TOO_LARGE'],
    [new RateLimitedError(30), 429, 'RATE_LIMITED'],
    [new ValidationFailedError([{ path: 'text', message: 'is required' }]), 400, 'VALIDATION_FAILED'],
  ])('%p has status %p and code %p', (error, status, code) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
  });

  it('NotFoundError.of names the entity in code and message', () => {
    const error = NotFoundError.of('conversation', 'c-1');
    expect(error.code).toBe('CONVERSATION_NOT_FOUND');
    expect(error.message).toBe('conversation c-1 not found');
    expect(NotFoundError.of('cannedResponse').code).toBe('CANNED_RESPONSE_NOT_FOUND');
  });

  it('RateLimitedError carries retryAfter in details; ValidationFailedError the fields', () => {
    expect(new RateLimitedError(12).details).toEqual({ retryAfterSeconds: 12 });
    const error = new ValidationFailedError([
      { path: 'text', message: 'is required' },
      { path: '', message: 'Expected object' },
    ]);
    expect(error.message).toBe('Invalid input: text: is required; body: Expected object');
    expect(error.details.fields).toHaveLength(2);
  });

  it('keeps the cause', () => {
    const cause = new Error('db down');
    expect(new ConflictError('x', { cause }).cause).toBe(cause);
  });
});

describe(parseBody.name, () => {
  const schema = z.object({ text: z.string().min(1), recipient: z.object({ email: z.string().email() }) });

  it('returns the parsed value', () => {
    expect(parseBody(schema, { text: 'hi', recipient: { email: 'a@b.co' }, extra: 1 })).toEqual({
      text: 'hi',
      recipient: { email: 'a@b.co' },
    });
  });

  it('refuses a NUL character (Postgres cannot store it) in any string or key, naming where', () => {
    const loose = z.object({ text: z.string(), tags: z.array(z.string()), attributes: z.record(z.string()) });
    let caught: unknown;
    try {
      parseBody(loose, { text: 'a\u0000b', tags: ['ok', '\u0000'], attributes: { fine: 'yes', 'bad\u0000key': 'v', deep: 'x\u0000' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationFailedError);
    expect((caught as ValidationFailedError).fields).toEqual([
      { path: 'text', message: 'must not contain the NUL character (U+0000)' },
      { path: 'tags.1', message: 'must not contain the NUL character (U+0000)' },
      { path: 'attributes.bad\u0000key', message: 'must not contain the NUL character (U+0000)' },
      { path: 'attributes.deep', message: 'must not contain the NUL character (U+0000)' },
    ]);
    expect(parseBody(loose, { text: 'U+FFFD \ufffd and \\u0000 as text are fine', tags: [], attributes: {} }).text).toBe('U+FFFD \ufffd and \\u0000 as text are fine');
  });

  it('throws ValidationFailedError naming every failing field by path', () => {
    let caught: unknown;
    try {
      new ZodValidationPipe(schema).transform({ recipient: { email: 'nope' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationFailedError);
    const fields = (caught as ValidationFailedError).fields;
    expect(fields.map((field) => field.path)).toEqual(['text', 'recipient.email']);
    expect(fields[0]).toMatchObject({ message: 'is required', code: 'invalid_type' });
  });
});
