import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ZodError } from 'zod';
import { DomainError, ErrorDetails } from './domain-error';
import { RateLimitedError } from './rate-limited.error';
import { fieldProblemsOf } from './zod-issues';
import { ValidationFailedError } from './validation-failed.error';

/** The body of every error response (API.md, "Errors"). */
export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetails };
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  502: 'BAD_GATEWAY',
  503: 'UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export interface RenderedError {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/**
 * Every error → `{error:{code,message,details}}` with the right status: DomainError as declared,
 * zod errors → 400 VALIDATION_FAILED with the failing fields, Nest HttpExceptions (including
 * body-parser's 400 for bad JSON and 413 for a too-large body) by their status, anything else →
 * 500 with a generic message (the error itself is logged, never sent).
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const rendered = this.render(exception);
    if (rendered.status >= 500) {
      this.logger.error(exception instanceof Error ? exception : { exception }, 'unhandled error');
    }
    if (response.headersSent) return;
    response.status(rendered.status);
    for (const [name, value] of Object.entries(rendered.headers)) response.setHeader(name, value);
    response.json(rendered.body);
  }

  render(exception: unknown): RenderedError {
    if (exception instanceof DomainError) {
      const headers: Record<string, string> =
        exception instanceof RateLimitedError
          ? { 'Retry-After': String(Math.max(1, Math.ceil(exception.retryAfterSeconds))) }
          : {};
      return {
        status: exception.status,
        body: body(exception.code, exception.message, exception.details),
        headers,
      };
    }
    if (exception instanceof ZodError) {
      const error = new ValidationFailedError(fieldProblemsOf(exception));
      return { status: 400, body: body(error.code, error.message, error.details), headers: {} };
    }
    if (exception instanceof HttpException) return renderHttpException(exception);
    if (isExposedClientError(exception)) {
      // body-parser / http-errors raised before Nest's routing (e.g. 413 entity.too.large)
      const code = CODE_BY_STATUS[exception.status] ?? 'HTTP_ERROR';
      return { status: exception.status, body: body(code, exception.message, {}), headers: {} };
    }
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: body('INTERNAL', 'Internal server error', {}),
      headers: {},
    };
  }
}

/** An http-errors client error (status 4xx, expose: true): its message is meant for the client. */
function isExposedClientError(value: unknown): value is Error & { status: number } {
  if (!(value instanceof Error)) return false;
  const { status, expose } = value as Error & { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

function body(code: string, message: string, details: ErrorDetails): ErrorBody {
  return { error: { code, message, details } };
}

function renderHttpException(exception: HttpException): RenderedError {
  const status = exception.getStatus();
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'HTTP_ERROR');
  const response = exception.getResponse();
  const details: ErrorDetails = {};
  let message = exception.message;
  if (typeof response === 'object' && response !== null) {
    const raw = (response as { message?: unknown }).message;
    if (Array.isArray(raw)) {
      // class-validator style: a list of messages
      details.messages = raw.map(String);
      message = raw.map(String).join('; ');
    } else if (typeof raw === 'string') {
      message = raw;
    }
  }
  if (status >= 500) message = 'Internal server error';
  return { status, body: body(code, message, details), headers: {} };
}
