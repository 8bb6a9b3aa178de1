import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { FakeInbox } from './support/fake-inbox.server';
import {
  gatewayTestConfig,
  RunningGateway,
  startGateway,
  TEST_INTERNAL_TOKEN,
  TEST_JWT_SECRET,
} from './support/gateway-harness';

type Role = 'admin' | 'supervisor' | 'operator' | 'bot';
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const A: Role[] = ['admin'];
const AS: Role[] = ['admin', 'supervisor'];
const ASO: Role[] = ['admin', 'supervisor', 'operator'];
const ALL: Role[] = ['admin', 'supervisor', 'operator', 'bot'];
const ROLES: Role[] = ['admin', 'supervisor', 'operator', 'bot'];

const id = randomUUID();
const other = randomUUID();

/** Every /api/v1 route but login and refresh, with a valid body, and who may call it (written out, not read from the code). */
const MATRIX: Array<{
  method: Method;
  path: string;
  body?: object;
  roles: Role[];
  handledByGateway?: true;
  allowedStatus?: number;
}> = [
  { method: 'post', path: '/api/v1/auth/logout', body: {}, roles: ALL, handledByGateway: true },
  { method: 'get', path: '/api/v1/me', roles: ALL },
  { method: 'put', path: '/api/v1/me/availability', body: { status: 'online' }, roles: ASO },
  { method: 'get', path: '/api/v1/operators', roles: AS },
  {
    method: 'post',
    path: '/api/v1/operators',
    body: { name: 'Ann', email: 'ann@example.test', password: 'long-password', role: 'operator' },
    roles: A,
  },
  { method: 'patch', path: `/api/v1/operators/${id}`, body: { capacity: 4 }, roles: A },
  { method: 'delete', path: `/api/v1/operators/${id}`, roles: A },
  { method: 'get', path: '/api/v1/teams', roles: AS },
  { method: 'post', path: '/api/v1/teams', body: { name: 'Billing', routing: 'balanced' }, roles: A },
  { method: 'patch', path: `/api/v1/teams/${id}`, body: { routing: 'manual' }, roles: A },
  { method: 'delete', path: `/api/v1/teams/${id}`, roles: A },
  { method: 'get', path: '/api/v1/inboxes', roles: AS },
  {
    method: 'post',
    path: '/api/v1/inboxes',
    body: { name: 'Site', channel: 'webchat', config: { allowedOrigins: ['https://shop.example'] } },
    roles: A,
  },
  { method: 'patch', path: `/api/v1/inboxes/${id}`, body: { name: 'Site 2' }, roles: A },
  { method: 'delete', path: `/api/v1/inboxes/${id}`, roles: A },
  { method: 'get', path: '/api/v1/bots', roles: AS },
  { method: 'post', path: '/api/v1/bots', body: { name: 'FAQ', inboxIds: [id] }, roles: A },
  { method: 'delete', path: `/api/v1/bots/${id}`, roles: A },
  { method: 'get', path: '/api/v1/audit-log', roles: AS },
  { method: 'get', path: '/api/v1/conversations?view=mine&limit=20', roles: ALL },
  {
    method: 'post',
    path: '/api/v1/conversations',
    body: { inboxId: id, to: 'customer@example.test', subject: 'Hi', text: 'Hello' },
    roles: ASO,
  },
  { method: 'get', path: `/api/v1/conversations/${id}`, roles: ALL },
  { method: 'patch', path: `/api/v1/conversations/${id}`, body: { labels: ['vip'] }, roles: ALL },
  { method: 'get', path: `/api/v1/conversations/${id}/messages?limit=50`, roles: ALL },
  { method: 'post', path: `/api/v1/conversations/${id}/messages`, body: { text: 'Hello' }, roles: ALL },
  { method: 'post', path: `/api/v1/conversations/${id}/assign`, body: { operatorId: other }, roles: ASO },
  {
    method: 'post',
    path: `/api/v1/conversations/${id}/transfer`,
    body: { teamId: other, summary: 'Needs billing' },
    roles: ASO,
  },
  { method: 'post', path: `/api/v1/conversations/${id}/status`, body: { status: 'resolved' }, roles: ALL },
  {
    method: 'post',
    path: `/api/v1/conversations/${id}/handoff`,
    body: { summary: 'Wants a refund' },
    roles: ['admin', 'supervisor', 'bot'],
  },
  { method: 'post', path: `/api/v1/conversations/${id}/handback`, body: { note: 'Back to the bot' }, roles: ASO },
  {
    method: 'post',
    path: `/api/v1/conversations/${id}/merge`,
    body: { intoConversationId: other },
    roles: ASO,
  },
  { method: 'get', path: `/api/v1/conversations/${id}/events`, roles: ASO },
  { method: 'get', path: '/api/v1/contacts?q=ann', roles: ASO },
  { method: 'get', path: `/api/v1/contacts/${id}`, roles: ASO },
  { method: 'patch', path: `/api/v1/contacts/${id}`, body: { name: 'Ann B.' }, roles: ASO },
  { method: 'delete', path: `/api/v1/contacts/${id}`, roles: A },
  { method: 'post', path: `/api/v1/contacts/${id}/merge`, body: { otherContactId: other }, roles: AS },
  { method: 'get', path: `/api/v1/contacts/${id}/export`, roles: AS },
  { method: 'get', path: '/api/v1/canned-responses', roles: ASO },
  {
    method: 'post',
    path: '/api/v1/canned-responses',
    body: { shortcut: 'hi', title: 'Hello', body: 'Hello {{contact.name}}' },
    roles: AS,
  },
  { method: 'get', path: `/api/v1/canned-responses/${id}`, roles: ASO },
  { method: 'post', path: `/api/v1/canned-responses/${id}/render`, body: { conversationId: id }, roles: ASO },
  { method: 'patch', path: `/api/v1/canned-responses/${id}`, body: { title: 'Hi' }, roles: AS },
  { method: 'delete', path: `/api/v1/canned-responses/${id}`, roles: AS },
  { method: 'get', path: '/api/v1/reports/summary?groupBy=team', roles: AS },
  { method: 'get', path: '/api/v1/reports/live', roles: AS },
  { method: 'post', path: '/api/v1/attachments?name=a.txt', body: {}, roles: ALL, handledByGateway: true },
  // the fake inbox lists no attachments: an allowed caller gets 404 for the unknown key
  {
    method: 'get',
    path: `/api/v1/conversations/${id}/attachments?key=k`,
    roles: ALL,
    handledByGateway: true,
    allowedStatus: 404,
  },
];

describe('gateway REST: the RBAC matrix and forwarding to the inbox', () => {
  let inbox: FakeInbox;
  let gateway: RunningGateway;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    inbox = await new FakeInbox(TEST_INTERNAL_TOKEN).start();
    gateway = await startGateway(
      gatewayTestConfig({ INBOX_URL: inbox.url, LOGIN_MAX_ATTEMPTS: '5', LOGIN_WINDOW_SECONDS: '60' }),
    );
    for (const role of ['admin', 'supervisor', 'operator'] as const) tokens[role] = await loginAs(role);
    tokens.bot = inbox.addBot().token;
  }, 60_000);

  /** a new operator of this role, logged in: its access token */
  async function loginAs(role: 'admin' | 'supervisor' | 'operator'): Promise<string> {
    const operator = inbox.addOperator(role);
    const response = await request(gateway.url).post('/api/v1/auth/login').send({ email: operator.email, password: operator.password }).expect(200);
    return String(response.body.accessToken);
  }

  afterAll(async () => {
    await gateway?.close();
    await inbox?.stop();
  });

  const call = (method: Method, path: string, token?: string, body?: object) => {
    let req = request(gateway.url)[method](path);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    return body ? req.send(body) : req;
  };

  describe.each(MATRIX)('$method $path', ({ method, path, body, roles, handledByGateway, allowedStatus }) => {
    it('answers 401 without a token', async () => {
      const response = await call(method, path, undefined, body).expect(401);
      expect(response.body.error.code).toBe('UNAUTHORIZED');
    });

    it.each(ROLES)('as %s: forwarded when allowed, else 403', async (role) => {
      const before = inbox.forwarded().length;
      // logging out ends the session: a session of its own, so the shared tokens live on
      const token = path === '/api/v1/auth/logout' && role !== 'bot' ? await loginAs(role) : tokens[role];
      const response = await call(method, path, token, body);
      if (roles.includes(role)) {
        if (allowedStatus) expect(response.status).toBe(allowedStatus);
        else expect([200, 201, 204]).toContain(response.status);
        if (handledByGateway) return;
        const forwarded = inbox.requests[inbox.requests.length - 1];
        expect(forwarded.path).toBe(`/internal/v1${path.split('?')[0].replace(/^\/api\/v1/, '')}`);
        expect(forwarded.headers['x-actor-role']).toBe(role);
      } else {
        expect(response.status).toBe(403);
        expect(response.body.error.code).toBe('FORBIDDEN_ROLE');
        expect(inbox.forwarded().length).toBe(before);
      }
    });
  });

  it('documents every route of the matrix in /api/docs, and nothing undocumented is left out of the matrix', async () => {
    const docs = await request(gateway.url).get('/api/docs-json').expect(200);
    const documented = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`),
    );
    const inMatrix = MATRIX.map(({ method, path }) => `${method} ${path.split('?')[0].replace(id, '{id}')}`);
    const publicRoutes = ['post /api/v1/auth/login', 'post /api/v1/auth/refresh'];
    expect(documented.filter((route) => route.includes('/api/v1/')).sort()).toEqual(
      [...inMatrix, ...publicRoutes].sort(),
    );
    const swaggerUi = await request(gateway.url).get('/api/docs/').expect(200);
    expect(swaggerUi.text).toContain('swagger');
  });

  it('forwards the caller identity, the validated body and the query to the inbox', async () => {
    const response = await call('post', `/api/v1/conversations/${id}/messages`, tokens.operator, {
      text: 'Hello',
      private: true,
    }).expect(201);
    expect(response.body.echo).toMatchObject({
      method: 'POST',
      path: `/internal/v1/conversations/${id}/messages`,
      body: { text: 'Hello', private: true },
      actor: { role: 'operator' },
    });
    const forwarded = inbox.requests[inbox.requests.length - 1];
    expect(forwarded.headers.authorization).toBe(`Bearer ${TEST_INTERNAL_TOKEN}`);
    expect(forwarded.headers['x-actor-id']).toMatch(/^[0-9a-f-]{36}$/);
    const list = await call(
      'get',
      '/api/v1/conversations?view=unassigned&status=queued&limit=5',
      tokens.admin,
    ).expect(200);
    expect(list.body.echo.query).toEqual({ view: 'unassigned', status: 'queued', limit: '5' });
  });

  it('refuses bad input with 400 naming the field, without calling the inbox', async () => {
    const before = inbox.forwarded().length;
    const transfer = await call('post', `/api/v1/conversations/${id}/transfer`, tokens.operator, {
      teamId: other,
    }).expect(400);
    expect(transfer.body.error.code).toBe('VALIDATION_FAILED');
    expect(transfer.body.error.details.fields).toEqual([
      expect.objectContaining({ path: 'summary', message: 'is required' }),
    ]);
    const status = await call('post', `/api/v1/conversations/${id}/status`, tokens.operator, {
      status: 'closed',
    }).expect(400);
    expect(status.body.error.details.fields[0].path).toBe('status');
    const badId = await call('get', '/api/v1/conversations/not-a-uuid', tokens.operator).expect(400);
    expect(badId.body.error.details.fields[0]).toMatchObject({ path: 'id', message: 'must be a UUID' });
    const badQuery = await call(
      'get',
      '/api/v1/conversations?view=everything&limit=0',
      tokens.operator,
    ).expect(400);
    expect(badQuery.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'limit',
      'view',
    ]);
    const badJson = await request(gateway.url)
      .post(`/api/v1/conversations/${id}/messages`)
      .set('Authorization', `Bearer ${tokens.operator}`)
      .set('Content-Type', 'application/json')
      .send('{"text":')
      .expect(400);
    expect(badJson.body.error).toBeDefined();
    const tooLarge = await call('post', `/api/v1/conversations/${id}/messages`, tokens.operator, {
      text: 'x'.repeat(200_000),
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(inbox.forwarded().length).toBe(before);
  });

  it("passes the inbox's errors through with their status, body and Retry-After", async () => {
    const newer = [{ id: other, text: 'I already answered' }];
    inbox.on((r) =>
      r.method === 'POST' && r.path === `/internal/v1/conversations/${other}/messages`
        ? {
            status: 409,
            body: {
              error: { code: 'COLLISION', message: 'Someone else wrote since', details: { messages: newer } },
            },
          }
        : undefined,
    );
    inbox.on((r) =>
      r.path === '/internal/v1/reports/live'
        ? {
            status: 429,
            body: { error: { code: 'RATE_LIMITED', message: 'slow down', details: {} } },
            headers: { 'retry-after': '7' },
          }
        : undefined,
    );
    const collision = await call('post', `/api/v1/conversations/${other}/messages`, tokens.operator, {
      text: 'Hi',
      afterMessageId: id,
    }).expect(409);
    expect(collision.body).toEqual({
      error: { code: 'COLLISION', message: 'Someone else wrote since', details: { messages: newer } },
    });
    const limited = await call('get', '/api/v1/reports/live', tokens.admin).expect(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.body.error.code).toBe('RATE_LIMITED');
  });

  it('takes uploads and serves an attachment only for a conversation that has it, as a download', async () => {
    const uploaded = await request(gateway.url)
      .post('/api/v1/attachments?name=r%C3%A9sum%C3%A9.pdf')
      .set('Authorization', `Bearer ${tokens.operator}`)
      .set('Content-Type', 'application/pdf')
      .send(Buffer.from('%PDF-1.4 test'))
      .expect(201);
    expect(uploaded.body).toMatchObject({ name: 'résumé.pdf', size: 13, contentType: 'application/pdf' });
    const withFile = randomUUID();
    inbox.on((r) =>
      r.path === `/internal/v1/conversations/${withFile}/messages`
        ? { status: 200, body: [{ id: randomUUID(), attachments: [uploaded.body] }] }
        : undefined,
    );
    const file = await request(gateway.url)
      .get(`/api/v1/conversations/${withFile}/attachments`)
      .query({ key: uploaded.body.key })
      .set('Authorization', `Bearer ${tokens.operator}`)
      .expect(200);
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );
    expect(file.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.from(file.body).toString()).toBe('%PDF-1.4 test');
    // the same key asked through another conversation is not served
    await request(gateway.url)
      .get(`/api/v1/conversations/${other}/attachments`)
      .query({ key: uploaded.body.key })
      .set('Authorization', `Bearer ${tokens.operator}`)
      .expect(404);
  });

  it('answers 502 when the inbox does not answer', async () => {
    const down = await startGateway(gatewayTestConfig({ INBOX_URL: 'http://127.0.0.1:1' }));
    try {
      const response = await request(down.url)
        .get('/api/v1/me')
        .set('Authorization', `Bearer ${tokens.operator}`)
        .expect(502);
      expect(response.body.error.code).toBe('INBOX_UNAVAILABLE');
    } finally {
      await down.close();
    }
  });

  describe('tokens', () => {
    const claims = { sub: randomUUID(), role: 'admin', sid: randomUUID(), typ: 'access' };
    const options = { issuer: 'switchboard-gateway', audience: 'switchboard-api' };

    it('refuses a token signed with another secret', async () => {
      const forged = jwt.sign(claims, 'some-other-secret-0123456789', { ...options, expiresIn: 300 });
      const response = await call('get', '/api/v1/operators', forged).expect(401);
      expect(response.body.error.code).toBe('INVALID_TOKEN');
    });

    it('refuses an expired token', async () => {
      const expired = jwt.sign(
        { ...claims, exp: Math.floor(Date.now() / 1000) - 10 },
        TEST_JWT_SECRET,
        options,
      );
      const response = await call('get', '/api/v1/operators', expired).expect(401);
      expect(response.body.error.code).toBe('TOKEN_EXPIRED');
    });

    it('refuses an unsigned token (alg none) and a token whose role was edited', async () => {
      const unsigned = jwt.sign(claims, '', { ...options, algorithm: 'none', expiresIn: 300 });
      await call('get', '/api/v1/operators', unsigned).expect(401);
      const [header, , signature] = tokens.operator.split('.');
      const payload = JSON.parse(Buffer.from(tokens.operator.split('.')[1], 'base64url').toString('utf8'));
      const edited = `${header}.${Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url')}.${signature}`;
      await call('get', '/api/v1/operators', edited).expect(401);
    });

    it('refuses an unknown bot token', async () => {
      const response = await call(
        'get',
        '/api/v1/conversations',
        'sbb_0000000000000000000000000000dead',
      ).expect(401);
      expect(response.body.error.code).toBe('INVALID_TOKEN');
    });
  });

  describe('auth endpoints', () => {
    it('logs in with {accessToken, refreshToken, operator}, refreshes to a new pair, logs out', async () => {
      const operator = inbox.addOperator('operator');
      const login = await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: operator.email, password: operator.password })
        .expect(200);
      expect(login.body).toMatchObject({
        tokenType: 'Bearer',
        refreshToken: `refresh-${operator.id}`,
        operator: { id: operator.id, role: 'operator' },
      });
      expect(login.body.operator).not.toHaveProperty('password');
      const refreshed = await request(gateway.url)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: login.body.refreshToken })
        .expect(200);
      expect(typeof refreshed.body.accessToken).toBe('string');
      await call('get', '/api/v1/me', refreshed.body.accessToken).expect(200);
      await call('post', '/api/v1/auth/logout', refreshed.body.accessToken, {}).expect(204);
      const logout = inbox.requests.filter((r) => r.path === '/internal/v1/auth/logout').pop();
      expect(logout?.body).toMatchObject({ operatorId: operator.id });
      // the access token of the ended session is refused at once, before it expires
      const ended = await call('get', '/api/v1/me', refreshed.body.accessToken).expect(401);
      expect(ended.body.error.code).toBe('SESSION_REVOKED');
      const badRefresh = await request(gateway.url)
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: 'refresh-unknown-token' })
        .expect(401);
      expect(badRefresh.body.error.code).toBe('REFRESH_TOKEN_INVALID');
    });

    it('refuses the access tokens of a session ended elsewhere (another instance, the inbox) once the poll has heard of it', async () => {
      const operator = inbox.addOperator('operator');
      const login = await request(gateway.url).post('/api/v1/auth/login').send({ email: operator.email, password: operator.password }).expect(200);
      const token = String(login.body.accessToken);
      await call('get', '/api/v1/me', token).expect(200);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string };
      inbox.revokedSessions.push({ sessionId: claims.sid, revokedAt: new Date().toISOString() });
      const deadline = Date.now() + 10_000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        status = (await call('get', '/api/v1/me', token)).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const refused = await call('get', '/api/v1/me', token).expect(401);
      expect(refused.body.error.code).toBe('SESSION_REVOKED');
      // another session of the same operator is not affected
      const other = await request(gateway.url).post('/api/v1/auth/login').send({ email: operator.email, password: operator.password }).expect(200);
      await call('get', '/api/v1/me', other.body.accessToken).expect(200);
    });

    it('refuses wrong credentials with 401 and bad input with 400', async () => {
      const operator = inbox.addOperator('operator');
      const wrong = await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: operator.email, password: 'wrong' })
        .expect(401);
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
      const invalid = await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: 'not-an-email' })
        .expect(400);
      expect(invalid.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
        'email',
        'password',
      ]);
    });

    it('rate-limits login attempts per email with 429 and Retry-After', async () => {
      const operator = inbox.addOperator('operator');
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await request(gateway.url)
          .post('/api/v1/auth/login')
          .send({ email: operator.email, password: 'wrong' })
          .expect(401);
      }
      const limited = await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: operator.email, password: operator.password })
        .expect(429);
      expect(limited.body.error.code).toBe('LOGIN_RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // another account from the same address is not locked out by it
      const someoneElse = inbox.addOperator('operator');
      await request(gateway.url)
        .post('/api/v1/auth/login')
        .send({ email: someoneElse.email, password: someoneElse.password })
        .expect(200);
    });
  });

  it('sets security headers (helmet) on API answers', async () => {
    const response = await request(gateway.url).get('/healthz').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
