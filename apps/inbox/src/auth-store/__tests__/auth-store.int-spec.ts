import { createHash, randomBytes } from 'node:crypto';
import { loadConfig } from '@switchboard/common';
import { newId } from '@switchboard/common/ids';
import {
  createTestDatabase,
  kafkaBrokers,
  RunningService,
  startService,
  TestDatabase,
  uniqueName,
} from '@switchboard/testing';
import request from 'supertest';
import { Module } from '@nestjs/common';
import { InboxAppModule } from '../../app.module';
import { AuthStoreModule } from '../auth-store.module';
import { inboxConfigSchema } from '../../inbox.config';
import { InboxDatabase } from '../../persistence/inbox-database';
import { PasswordHasher } from '../password-hasher';

const TOKEN = 'auth-store-internal-token-0123456789';

describe('auth store (inbox internal API for the gateway)', () => {
  let database: TestDatabase;
  let service: RunningService;
  let db: InboxDatabase;
  const internal = () => ({ Authorization: `Bearer ${TOKEN}` });

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadConfig(inboxConfigSchema, {
      PORT: '0',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: `${uniqueName('auth-store')}.`,
      DATABASE_URL: database.url,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      INTERNAL_API_TOKEN: TOKEN,
      ADMIN_EMAIL: 'Root@Example.test',
      ADMIN_PASSWORD: 'first-admin-password',
      ROUTING_SWEEP_MS: '0',
    });
    // the app module imports AuthStoreModule too; naming it here keeps this spec independent of that wiring
    @Module({ imports: [InboxAppModule.forRoot(config), AuthStoreModule] })
    class AuthStoreTestRoot {}
    service = await startService({ module: AuthStoreTestRoot });
    db = await InboxDatabase.open({ url: database.url, poolSize: 2 });
  }, 120_000);

  afterAll(async () => {
    await service?.close();
    await db?.close();
    await database?.drop();
  });

  const login = (email: string, password: string) =>
    request(service.url).post('/internal/v1/auth/login').set(internal()).send({ email, password });

  it('refuses calls without the internal token', async () => {
    const response = await request(service.url)
      .post('/internal/v1/auth/login')
      .send({ email: 'a@b.c', password: 'x' })
      .expect(401);
    expect(response.body.error.code).toBe('INTERNAL_TOKEN_REQUIRED');
    await request(service.url)
      .post('/internal/v1/auth/login')
      .set({ Authorization: 'Bearer wrong-token-wrong-token' })
      .send({})
      .expect(401);
  });

  it('created the first admin from ADMIN_EMAIL / ADMIN_PASSWORD with an argon2id hash, once', async () => {
    const rows = await db.run((sql) =>
      sql.rows<{ role: string; password_hash: string }>(
        `SELECT role, password_hash FROM operators WHERE lower(email) = 'root@example.test'`,
      ),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].role).toBe('admin');
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('logs in with the right password (email case-insensitive) and refuses a wrong one', async () => {
    const ok = await login('root@example.test', 'first-admin-password').expect(200);
    expect(ok.body.operator).toMatchObject({ email: 'Root@Example.test', role: 'admin' });
    expect(ok.body.operator).not.toHaveProperty('passwordHash');
    expect(ok.body.refreshToken).toMatch(/^[0-9a-f-]{36}\./);
    const wrong = await login('root@example.test', 'nope').expect(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    await login('nobody@example.test', 'first-admin-password').expect(401);
  });

  it('names the missing field when the body is incomplete', async () => {
    const response = await request(service.url)
      .post('/internal/v1/auth/login')
      .set(internal())
      .send({ email: 'x@y.z' })
      .expect(400);
    expect(response.body.error.details.fields).toEqual([expect.objectContaining({ path: 'password' })]);
  });

  it('rotates refresh tokens; a reused one revokes the whole session', async () => {
    const first = (await login('root@example.test', 'first-admin-password').expect(200)).body;
    const second = (
      await request(service.url)
        .post('/internal/v1/auth/refresh')
        .set(internal())
        .send({ refreshToken: first.refreshToken })
        .expect(200)
    ).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.sessionId).toBe(first.sessionId);
    const third = (
      await request(service.url)
        .post('/internal/v1/auth/refresh')
        .set(internal())
        .send({ refreshToken: second.refreshToken })
        .expect(200)
    ).body;

    const reuse = await request(service.url)
      .post('/internal/v1/auth/refresh')
      .set(internal())
      .send({ refreshToken: first.refreshToken })
      .expect(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    // the newest token of that session no longer works either
    const after = await request(service.url)
      .post('/internal/v1/auth/refresh')
      .set(internal())
      .send({ refreshToken: third.refreshToken })
      .expect(401);
    expect(after.body.error.code).toBe('REFRESH_TOKEN_REVOKED');
  });

  it('refuses forged refresh tokens', async () => {
    const session = (await login('root@example.test', 'first-admin-password').expect(200)).body;
    const [id] = String(session.refreshToken).split('.');
    const forged = `${id}.${randomBytes(32).toString('base64url')}`;
    const response = await request(service.url)
      .post('/internal/v1/auth/refresh')
      .set(internal())
      .send({ refreshToken: forged })
      .expect(401);
    expect(response.body.error.code).toBe('REFRESH_TOKEN_INVALID');
    await request(service.url)
      .post('/internal/v1/auth/refresh')
      .set(internal())
      .send({ refreshToken: 'garbage' })
      .expect(401);
    // the real one still works
    await request(service.url)
      .post('/internal/v1/auth/refresh')
      .set(internal())
      .send({ refreshToken: session.refreshToken })
      .expect(200);
  });

  it('logout revokes the session by id or by refresh token', async () => {
    const a = (await login('root@example.test', 'first-admin-password').expect(200)).body;
    expect(
      (
        await request(service.url)
          .post('/internal/v1/auth/logout')
          .set(internal())
          .send({ sessionId: a.sessionId })
          .expect(200)
      ).body.revoked,
    ).toBe(1);
    await request(service.url)
      .post('/internal/v1/auth/refresh')
      .set(internal())
      .send({ refreshToken: a.refreshToken })
      .expect(401);

    const b = (await login('root@example.test', 'first-admin-password').expect(200)).body;
    expect(
      (
        await request(service.url)
          .post('/internal/v1/auth/logout')
          .set(internal())
          .send({ refreshToken: b.refreshToken })
          .expect(200)
      ).body.revoked,
    ).toBe(1);
    await request(service.url)
      .post('/internal/v1/auth/refresh')
      .set(internal())
      .send({ refreshToken: b.refreshToken })
      .expect(401);
  });

  it('lists the sessions revoked since a moment, with the database clock for the next read', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const kept = (await login('root@example.test', 'first-admin-password').expect(200)).body;
    const ended = (await login('root@example.test', 'first-admin-password').expect(200)).body;
    await request(service.url).post('/internal/v1/auth/logout').set(internal()).send({ sessionId: ended.sessionId }).expect(200);
    const answer = (await request(service.url).get('/internal/v1/auth/revoked-sessions').query({ since }).set(internal()).expect(200)).body;
    const ids = answer.items.map((item: { sessionId: string }) => item.sessionId);
    expect(ids).toContain(ended.sessionId);
    expect(ids).not.toContain(kept.sessionId);
    expect(Date.parse(answer.now)).toBeGreaterThanOrEqual(Date.parse(answer.items.at(-1).revokedAt));
    const later = (await request(service.url).get('/internal/v1/auth/revoked-sessions').query({ since: answer.now }).set(internal()).expect(200)).body;
    expect(later.items.map((item: { sessionId: string }) => item.sessionId)).not.toContain(ended.sessionId);

    const bad = await request(service.url).get('/internal/v1/auth/revoked-sessions').query({ since: 'yesterday' }).set(internal()).expect(400);
    expect(JSON.stringify(bad.body.error)).toContain('since');
    await request(service.url).get('/internal/v1/auth/revoked-sessions').query({ since }).expect(401);
  });

  it('verifies bot tokens by their sha256 and gives the bot its inboxes; scopes operators by membership', async () => {
    const botId = newId();
    const token = `sbb_${randomBytes(24).toString('hex')}`;
    const inboxA = newId();
    const inboxB = newId();
    const inboxC = newId();
    const teamId = newId();
    const operatorId = newId();
    const hash = await new PasswordHasher().hash('operator-password');
    await db.run(async (sql) => {
      await sql.exec(`INSERT INTO bots (id, name, token_hash) VALUES ($1, 'FAQ bot', $2)`, [
        botId,
        createHash('sha256').update(token).digest('hex'),
      ]);
      await sql.exec(`INSERT INTO teams (id, name) VALUES ($1, 'Support')`, [teamId]);
      await sql.exec(
        `INSERT INTO inboxes (id, channel_type, name, bot_id, default_team_id) VALUES ($1, 'webchat', 'A', $4, NULL), ($2, 'email', 'B', NULL, $5), ($3, 'telegram', 'C', NULL, NULL)`,
        [inboxA, inboxB, inboxC, botId, teamId],
      );
      await sql.exec(
        `INSERT INTO operators (id, email, name, role, password_hash) VALUES ($1, 'op@example.test', 'Olga', 'operator', $2)`,
        [operatorId, hash],
      );
      await sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [
        inboxA,
        operatorId,
      ]);
      await sql.exec(`INSERT INTO team_members (team_id, operator_id) VALUES ($1, $2)`, [teamId, operatorId]);
    });

    const bot = await request(service.url)
      .post('/internal/v1/auth/bot-token')
      .set(internal())
      .send({ token })
      .expect(200);
    expect(bot.body).toEqual({ id: botId, name: 'FAQ bot', inboxIds: [inboxA] });
    await request(service.url)
      .post('/internal/v1/auth/bot-token')
      .set(internal())
      .send({ token: `${token}x` })
      .expect(401);

    const scope = await request(service.url)
      .get(`/internal/v1/auth/scope/operator/${operatorId}`)
      .set(internal())
      .expect(200);
    expect(scope.body).toEqual({
      active: true,
      role: 'operator',
      all: false,
      inboxIds: [inboxA, inboxB].sort(),
    });
    const adminId = (await login('root@example.test', 'first-admin-password')).body.operator.id;
    expect(
      (await request(service.url).get(`/internal/v1/auth/scope/admin/${adminId}`).set(internal()).expect(200))
        .body,
    ).toMatchObject({ active: true, all: true });
    expect(
      (
        await request(service.url)
          .get(`/internal/v1/auth/scope/operator/${newId()}`)
          .set(internal())
          .expect(200)
      ).body,
    ).toMatchObject({ active: false });
    expect(
      (await request(service.url).get(`/internal/v1/auth/scope/bot/${botId}`).set(internal()).expect(200))
        .body,
    ).toEqual({ active: true, role: 'bot', all: false, inboxIds: [inboxA] });

    const operatorLogin = await login('OP@example.test', 'operator-password').expect(200);
    expect(operatorLogin.body.operator).toMatchObject({ id: operatorId, role: 'operator', name: 'Olga' });
  });

  it('gives a web chat visitor the public messages of their thread only (no notes, no other thread)', async () => {
    const inboxId = newId();
    const contactId = newId();
    const mine = newId();
    const other = newId();
    const [m1, m2, note, elsewhere] = [newId(), newId(), newId(), newId()];
    await db.run(async (sql) => {
      await sql.exec(
        `INSERT INTO inboxes (id, channel_type, name, public_key) VALUES ($1, 'webchat', 'Site', $2)`,
        [inboxId, `key-${inboxId}`],
      );
      await sql.exec(`INSERT INTO contacts (id, name) VALUES ($1, 'Visitor')`, [contactId]);
      await sql.exec(
        `INSERT INTO conversations (id, inbox_id, contact_id, thread_key, status) VALUES ($1, $3, $4, 'thread-mine', 'open'), ($2, $3, $4, 'thread-other', 'open')`,
        [mine, other, inboxId, contactId],
      );
      await sql.exec(
        `INSERT INTO messages (id, conversation_id, inbox_id, direction, sender_type, kind, text, delivery_status, created_at) VALUES
          ($1, $5, $7, 'inbound', 'contact', 'message', 'hello', 'received', now() - interval '3 minutes'),
          ($2, $5, $7, 'outbound', 'operator', 'message', 'hi there', 'sent', now() - interval '2 minutes'),
          ($3, $5, $7, 'outbound', 'operator', 'note', 'internal: VIP', 'received', now() - interval '1 minute'),
          ($4, $6, $7, 'inbound', 'contact', 'message', 'someone else', 'received', now())`,
        [m1, m2, note, elsewhere, mine, other, inboxId],
      );
    });
    const history = await request(service.url)
      .get('/internal/v1/webchat/messages')
      .query({ inboxId, threadKey: 'thread-mine' })
      .set(internal())
      .expect(200);
    expect(history.body.items.map((m: { id: string }) => m.id)).toEqual([m1, m2]);
    expect(JSON.stringify(history.body)).not.toContain('VIP');
    const thread = await request(service.url)
      .get(`/internal/v1/webchat/conversations/${mine}/thread`)
      .set(internal())
      .expect(200);
    expect(thread.body).toEqual({
      conversationId: mine,
      inboxId,
      channelType: 'webchat',
      threadKey: 'thread-mine',
    });
    await request(service.url)
      .get(`/internal/v1/webchat/conversations/${newId()}/thread`)
      .set(internal())
      .expect(404);
    const latest = await request(service.url)
      .get('/internal/v1/webchat/threads/conversation')
      .query({ inboxId, threadKey: 'thread-other' })
      .set(internal())
      .expect(200);
    expect(latest.body).toEqual({ conversationId: other });
    await request(service.url)
      .get('/internal/v1/webchat/threads/conversation')
      .query({ inboxId, threadKey: 'no-such-thread' })
      .set(internal())
      .expect(404);
    expect(
      (
        await request(service.url)
          .get(`/internal/v1/webchat/inbox-keys/key-${inboxId}`)
          .set(internal())
          .expect(200)
      ).body,
    ).toEqual({ inboxId });
    await request(service.url).get('/internal/v1/webchat/inbox-keys/nope').set(internal()).expect(404);
  });
});
