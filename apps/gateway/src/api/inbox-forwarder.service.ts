import { Injectable, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { HttpMethod, InboxApiClient, PASSED_HEADERS } from '../inbox-client/inbox-api.client';

export interface ForwardOptions {
  query?: Record<string, unknown>;
  body?: unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

/**
 * Sends a validated public request on to the inbox's internal API as the caller, and answers with
 * what the inbox answered: status, JSON body (errors included), and the headers that matter
 * (Retry-After, Location, Content-Disposition). A non-JSON answer (an export) is streamed as is.
 */
@Injectable()
export class InboxForwarder {
  constructor(private readonly inbox: InboxApiClient) {}

  async forward(
    actor: Actor,
    res: Response,
    method: HttpMethod,
    path: string,
    options: ForwardOptions = {},
  ): Promise<unknown> {
    const upstream = await this.inbox.request({
      method,
      path,
      query: options.query,
      body: options.body,
      actor,
    });
    res.status(upstream.status);
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) res.setHeader(name, value);
    }
    if (upstream.status === 204 || upstream.raw.length === 0) {
      return upstream.status >= 400 ? errorBody(upstream.status) : undefined;
    }
    if (upstream.body !== undefined) {
      if (upstream.status >= 400 && !hasErrorShape(upstream.body)) return errorBody(upstream.status);
      return upstream.body;
    }
    if (upstream.status >= 400) return errorBody(upstream.status);
    return new StreamableFile(upstream.raw, { type: upstream.contentType || 'application/octet-stream' });
  }
}

/** a path segment from a (validated) parameter */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

function hasErrorShape(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string';
}

function errorBody(status: number): {
  error: { code: string; message: string; details: Record<string, never> };
} {
  return {
    error: {
      code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INBOX_ERROR' : 'HTTP_ERROR'),
      message: status >= 500 ? 'The inbox service failed' : 'The inbox refused the request',
      details: {},
    },
  };
}
