import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeOperator {
  id: string;
  email: string;
  password: string;
  name: string;
  role: 'admin' | 'supervisor' | 'operator';
}

type Handler = (
  request: RecordedRequest,
) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;

/**
 * A stand-in for the inbox's internal API in the gateway's own tests (the RBAC matrix, the
 * forwarding rules): it checks the internal token, answers the auth store's calls from a fixed
 * list of operators and bots, and answers anything else with an echo of what it received (or
 * what a test programmed with `on`). End-to-end tests use the real inbox instead.
 */
export class FakeInbox {
  readonly requests: RecordedRequest[] = [];
  readonly operators: FakeOperator[] = [];
  /** what GET /internal/v1/auth/revoked-sessions answers (sessions ended elsewhere) */
  readonly revokedSessions: Array<{ sessionId: string; revokedAt: string }> = [];
  readonly bots = new Map<string, { id: string; name: string; inboxIds: string[] }>();
  readonly scopes = new Map<string, string[]>();
  private readonly handlers: Handler[] = [];
  private server!: Server;
  url = '';

  constructor(readonly internalToken: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addOperator(role: FakeOperator['role'], password = 'correct-horse-battery'): FakeOperator {
    const operator = {
      id: randomUUID(),
      email: `${role}-${randomUUID().slice(0, 8)}@example.test`,
      password,
      name: `${role} person`,
      role,
    };
    this.operators.push(operator);
    return operator;
  }

  addBot(inboxIds: string[] = []): { id: string; token: string } {
    const id = randomUUID();
    const token = `sbb_${randomUUID().replace(/-/g, '')}`;
    this.bots.set(createHash('sha256').update(token).digest('hex'), { id, name: 'Test bot', inboxIds });
    this.scopes.set(id, inboxIds);
    return { id, token };
  }

  /** programs an answer (the first handler that returns one wins) */
  on(handler: Handler): void {
    this.handlers.unshift(handler);
  }

  forwarded(): RecordedRequest[] {
    return this.requests.filter((r) => !r.path.startsWith('/internal/v1/auth/'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    // the gateway's background poll (SessionRevocations): answered, not recorded among the requests tests look at
    if (request.path === '/internal/v1/auth/revoked-sessions' && req.headers.authorization === `Bearer ${this.internalToken}`) {
      return send(200, { now: new Date().toISOString(), items: this.revokedSessions });
    }
    this.requests.push(request);
    if (req.headers.authorization !== `Bearer ${this.internalToken}`) {
      return send(401, { error: { code: 'INTERNAL_TOKEN_REQUIRED', message: 'no', details: {} } });
    }
    for (const handler of this.handlers) {
      const answer = handler(request);
      if (answer) return send(answer.status, answer.body, answer.headers);
    }
    const body = (request.body ?? {}) as Record<string, string>;
    switch (request.path) {
      case '/internal/v1/auth/login': {
        const operator = this.operators.find(
          (o) => o.email.toLowerCase() === String(body.email).toLowerCase() && o.password === body.password,
        );
        if (!operator)
          return send(401, {
            error: { code: 'INVALID_CREDENTIALS', message: 'Wrong email or password', details: {} },
          });
        return send(200, this.session(operator));
      }
      case '/internal/v1/auth/refresh': {
        const operator = this.operators.find((o) => body.refreshToken === `refresh-${o.id}`);
        if (!operator)
          return send(401, {
            error: { code: 'REFRESH_TOKEN_INVALID', message: 'Invalid refresh token', details: {} },
          });
        return send(200, this.session(operator));
      }
      case '/internal/v1/auth/logout':
        return send(200, { revoked: 1 });
      case '/internal/v1/auth/bot-token': {
        const bot = this.bots.get(createHash('sha256').update(String(body.token)).digest('hex'));
        return bot
          ? send(200, bot)
          : send(401, { error: { code: 'INVALID_TOKEN', message: 'Invalid bot token', details: {} } });
      }
    }
    const scope = /^\/internal\/v1\/auth\/scope\/([a-z]+)\/([0-9a-f-]+)$/.exec(request.path);
    if (scope) {
      const [, role, id] = scope;
      const all = role === 'admin' || role === 'supervisor';
      return send(200, { active: true, role, all, inboxIds: all ? [] : (this.scopes.get(id) ?? []) });
    }
    const status = request.method === 'POST' ? 201 : request.method === 'DELETE' ? 204 : 200;
    return send(
      status,
      status === 204
        ? undefined
        : {
            echo: {
              method: request.method,
              path: request.path,
              query: request.query,
              body: request.body,
              actor: { id: req.headers['x-actor-id'], role: req.headers['x-actor-role'] },
            },
          },
    );
  }

  private session(operator: FakeOperator) {
    const { password: _password, ...rest } = operator;
    return {
      operator: { ...rest, availability: 'online' },
      refreshToken: `refresh-${operator.id}`,
      sessionId: randomUUID(),
      refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
  }
}
