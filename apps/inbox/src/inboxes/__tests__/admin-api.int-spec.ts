import { CHANNEL_CONFIG_TYPE, channelConfigSchema, Topics } from '@switchboard/common';
import { SecretBox } from '@switchboard/common/crypto';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { eventually, INTERNAL_TOKEN, startInboxHarness, TopicRecorder, type InboxHarness } from '../../__tests__/support/inbox-harness';

describe('administration API: inboxes, operators, teams, bots, audit log', () => {
  let harness: InboxHarness;
  let channels: TopicRecorder;
  const admin = { Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': '01a20000-0000-7000-8000-00000000000a', 'x-actor-role': 'admin' };
  const operatorHeaders = (id: string) => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': id, 'x-actor-role': 'operator' });

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0' } });
    channels = await new TopicRecorder().start(harness.bus, Topics.channels);
  }, 120_000);

  afterAll(async () => {
    await channels?.stop();
    await harness?.close();
  });

  it('creates an inbox, publishes its channel config with the secrets encrypted, and never returns a secret', async () => {
    const created = await request(harness.url)
      .post('/internal/v1/inboxes')
      .set(admin)
      .send({
        name: 'Support mail',
        channel: 'email',
        config: { imap: { host: 'imap.example.org', port: 993, user: 'support', password: 'imap-secret-1' }, smtp: { host: 'smtp.example.org', password: 'smtp-secret-2' }, address: 'support@example.org' },
        sticky: true,
        newConversationAfterDays: 14,
      })
      .expect(201);
    expect(created.body).toMatchObject({ channel: 'email', secrets: ['imap.password', 'smtp.password'], config: { imap: { host: 'imap.example.org' } }, inboxKey: expect.any(String) });
    expect(JSON.stringify(created.body)).not.toMatch(/imap-secret-1|smtp-secret-2/);
    const listed = await request(harness.url).get('/internal/v1/inboxes').set(admin).expect(200);
    expect(JSON.stringify(listed.body)).not.toMatch(/imap-secret-1|smtp-secret-2/);

    const published = await eventually(async () => channels.records.find((r) => r.key === created.body.id));
    expect(published.event.type).toBe(CHANNEL_CONFIG_TYPE);
    const config = channelConfigSchema.parse(published.event.data);
    expect(JSON.stringify(config)).not.toMatch(/imap-secret-1|smtp-secret-2/);
    const box = new SecretBox(harness.secretsKey);
    expect(box.decrypt(config.secrets['imap.password'])).toBe('imap-secret-1');
    expect(config).toMatchObject({ channelType: 'email', version: 1, enabled: true, settings: { address: 'support@example.org' } });

    // an update keeps the untouched secret, replaces the given one, bumps the version
    await request(harness.url).patch(`/internal/v1/inboxes/${created.body.id}`).set(admin).send({ config: { smtp: { password: 'smtp-secret-3' } } }).expect(200);
    const second = await eventually(async () => {
      const records = channels.records.filter((r) => r.key === created.body.id);
      return records.length >= 2 ? channelConfigSchema.parse(records[1].event.data) : undefined;
    });
    expect(second.version).toBe(2);
    expect(box.decrypt(second.secrets['smtp.password'])).toBe('smtp-secret-3');
    expect(box.decrypt(second.secrets['imap.password'])).toBe('imap-secret-1');
    expect(second.settings).toMatchObject({ smtp: { host: 'smtp.example.org' } });

    await request(harness.url).patch(`/internal/v1/inboxes/${created.body.id}`).set(admin).send({ channel: 'telegram' }).expect(422);
    const audit = await request(harness.url).get('/internal/v1/audit-log').set(admin).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['inbox.created', 'inbox.updated']));
    expect(JSON.stringify(audit.body)).not.toMatch(/secret-[123]/);
  });

  it('manages operators (409 on a taken email, 403 for non-admins) and their availability', async () => {
    const created = await request(harness.url)
      .post('/internal/v1/operators')
      .set(admin)
      .send({ name: 'Olga', email: 'Olga@Example.org', password: 'correct horse battery', role: 'operator', languages: ['ru', 'en'], capacity: 4 })
      .expect(201);
    expect(created.body).toMatchObject({ email: 'olga@example.org', capacity: 4, availability: 'offline' });
    expect(created.body).not.toHaveProperty('passwordHash');
    const duplicate = await request(harness.url)
      .post('/internal/v1/operators')
      .set(admin)
      .send({ name: 'Other', email: 'olga@example.org', password: 'another password', role: 'operator' })
      .expect(409);
    expect(duplicate.body.error.code).toBe('OPERATOR_EMAIL_TAKEN');
    await request(harness.url).post('/internal/v1/operators').set(operatorHeaders(created.body.id)).send({ name: 'X', email: 'x@example.org', password: 'password123', role: 'admin' }).expect(403);
    const bad = await request(harness.url).post('/internal/v1/operators').set(admin).send({ name: 'Y', email: 'not-an-email', password: 'password123', role: 'operator' }).expect(400);
    expect(bad.body.error.details.fields[0].path).toBe('email');

    const online = await request(harness.url).put('/internal/v1/me/availability').set(operatorHeaders(created.body.id)).send({ status: 'online' }).expect(200);
    expect(online.body.availability).toBe('online');
    const me = await request(harness.url).get('/internal/v1/me').set(operatorHeaders(created.body.id)).expect(200);
    expect(me.body).toMatchObject({ id: created.body.id, availability: 'online' });
  });

  it('creates a team with members and a bot whose token is stored only as a hash', async () => {
    const operator = await request(harness.url).post('/internal/v1/operators').set(admin).send({ name: 'Tim', email: 'tim@example.org', password: 'password123', role: 'operator' }).expect(201);
    const team = await request(harness.url).post('/internal/v1/teams').set(admin).send({ name: 'Billing', routing: 'round_robin', memberIds: [operator.body.id] }).expect(201);
    expect(team.body).toMatchObject({ name: 'Billing', routing: 'round_robin', memberIds: [operator.body.id] });
    await request(harness.url).post('/internal/v1/teams').set(admin).send({ name: 'Ghosts', memberIds: ['01a20000-0000-7000-8000-0000000000ff'] }).expect(400);

    const inbox = await request(harness.url).post('/internal/v1/inboxes').set(admin).send({ name: 'Chat', channel: 'webchat', teamId: team.body.id }).expect(201);
    const bot = await request(harness.url).post('/internal/v1/bots').set(admin).send({ name: 'Helper', inboxIds: [inbox.body.id] }).expect(201);
    expect(bot.body).toMatchObject({ name: 'Helper', inboxIds: [inbox.body.id], token: expect.any(String), webhookSecret: expect.any(String) });
    const stored = await harness.db.run((sql) => sql.one<{ tokenHash: string }>(`SELECT token_hash AS "tokenHash" FROM bots WHERE id = $1`, [bot.body.id]));
    expect(stored?.tokenHash).toBe(createHash('sha256').update(bot.body.token).digest('hex'));
    const listed = await request(harness.url).get('/internal/v1/bots').set(admin).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(bot.body.token);
  });
});
