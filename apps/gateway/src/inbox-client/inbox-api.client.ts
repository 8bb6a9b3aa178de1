import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, currentCorrelationId } from '@switchboard/common';
import { DomainError, RateLimitedError } from '@switchboard/common/errors';
import type { GatewayConfig } from '../gateway.config';
import type { Actor } from '../auth/actor';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface InboxRequest {
  method: HttpMethod;
  /** below the internal prefix, e.g. `/conversations/<id>/messages` */
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  /** the caller, passed as x-actor-id / x-actor-role (absent for the gateway's own calls) */
  actor?: Actor;
  correlationId?: string;
}

/** What the inbox answered, as is. */
export interface InboxResponse {
  status: number;
  headers: Headers;
  /** parsed JSON when the answer is JSON, else undefined (see `raw`) */
  body: unknown;
  raw: Buffer;
  contentType: string;
}

const TIMEOUT_MS = 15_000;
/** response headers worth passing on to the client */
export const PASSED_HEADERS = ['retry-after', 'location', 'content-disposition', 'etag'] as const;

/**
 * The inbox's internal HTTP API (INBOX_URL + INBOX_API_PREFIX), called with the internal token and
 * the caller's identity. Connection failures become 502 INBOX_UNAVAILABLE; any answer the inbox
 * gives (including its errors) is returned as is.
 */
@Injectable()
export class InboxApiClient {
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    const prefix = `/${config.INBOX_API_PREFIX.replace(/^\/+|\/+$/g, '')}`;
    this.base = `${config.INBOX_URL.replace(/\/+$/, '')}${prefix === '/' ? '' : prefix}`;
  }

  async request(request: InboxRequest): Promise<InboxResponse> {
    const url = new URL(`${this.base}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
      else url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.INTERNAL_API_TOKEN}`,
      accept: 'application/json',
    };
    const correlationId = request.correlationId ?? currentCorrelationId();
    if (correlationId) headers['x-correlation-id'] = correlationId;
    if (request.actor) {
      headers['x-actor-id'] = request.actor.id;
      headers['x-actor-role'] = request.actor.role;
      if (request.actor.name) headers['x-actor-name'] = encodeURIComponent(request.actor.name);
    }
    let body: string | undefined;
    if (request.body !== undefined && request.method !== 'GET') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new DomainError(
        'INBOX_UNAVAILABLE',
        'The inbox service does not answer',
        502,
        {},
        { cause: error },
      );
    }
    const raw = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? '';
    let parsed: unknown;
    if (raw.length > 0 && /\bjson\b/.test(contentType)) {
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        parsed = undefined;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed, raw, contentType };
  }

  /** a call whose success the gateway needs (auth store, scopes): a non-2xx answer becomes a DomainError with the inbox's code */
  async call<T>(request: InboxRequest): Promise<T> {
    const response = await this.request(request);
    if (response.status >= 200 && response.status < 300) return response.body as T;
    throw InboxApiClient.toError(response);
  }

  static toError(response: InboxResponse): DomainError {
    const error = (
      response.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
    )?.error;
    if (response.status >= 500 || !error) {
      return new DomainError(
        'INBOX_ERROR',
        'The inbox service failed',
        response.status >= 500 ? 502 : response.status,
      );
    }
    const code = typeof error.code === 'string' ? error.code : 'INBOX_ERROR';
    const message = typeof error.message === 'string' ? error.message : 'The inbox refused the request';
    const details = error.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
    if (response.status === 429) {
      // the shared limits (failed logins) are counted by the inbox: the caller gets the same Retry-After
      const seconds = Number(details.retryAfterSeconds);
      return new RateLimitedError(Number.isFinite(seconds) && seconds > 0 ? seconds : 1, message, { code, details });
    }
    return new DomainError(code, message, response.status, details);
  }
}
