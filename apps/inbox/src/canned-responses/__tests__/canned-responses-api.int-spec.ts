import { newId } from '@switchboard/common/ids';
import request from 'supertest';
import { eventually, inboundEvent, INTERNAL_TOKEN, publishInbound, seedInbox, seedOperator, startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';

interface Script {
  id: string;
  shortcut: string;
  rendered?: string;
}

describe('canned responses internal API (real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let inboxA: string;
  let inboxB: string;
  let operatorA: string;
  let admin: string;
  let conversationA: string;
  let conversationB: string;
  let greetId: string;

  const as = (actorId: string, role = 'operator') => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': actorId, 'x-actor-role': role });
  const asAdmin = () => as(admin, 'admin');
  const shortcuts = (body: { items: Script[] }) => body.items.map((item) => item.shortcut).sort();

  async function customerWrites(inboxId: string, externalId: string, displayName: string): Promise<string> {
    const event = inboundEvent({ inboxId, channelType: 'telegram', threadKey: `chat-${externalId}`, sender: { externalId, displayName }, text: 'hello' });
    await publishInbound(harness.bus, [event]);
    return eventually(async () => {
      const row = await harness.db.run((sql) => sql.one<{ id: string }>(`SELECT conversation_id AS id FROM messages WHERE external_id = $1`, [event.data.externalId]));
      return row?.id;
    });
  }

  beforeAll(async () => {
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0' } });
    inboxA = await seedInbox(harness.db, { channelType: 'telegram', name: 'Поддержка' });
    inboxB = await seedInbox(harness.db, { channelType: 'telegram', name: 'Support EN' });
    operatorA = await seedOperator(harness.db, { name: 'Анна Операторова', availability: 'offline' });
    admin = await seedOperator(harness.db, { name: 'Root', role: 'admin', availability: 'offline' });
    await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [inboxA, operatorA]));
    conversationA = await customerWrites(inboxA, 'tg-ivan', 'Иван Петров');
    conversationB = await customerWrites(inboxB, 'tg-john', 'John');
    await harness.db.run((sql) =>
      sql.exec(`UPDATE contacts SET email = 'ivan@example.com' WHERE id = (SELECT contact_id FROM conversations WHERE id = $1)`, [conversationA]),
    );
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('creates scripts (admins and supervisors only) and refuses a taken shortcut with 409', async () => {
    const created = await request(harness.url)
      .post('/internal/v1/canned-responses')
      .set(asAdmin())
      .send({
        shortcut: 'greet',
        title: 'Приветствие',
        body: 'Здравствуйте, {{contact.name}}! Я {{operator.name}}, {{inbox.name}}. Обращение {{conversation.id}}, почта {{contact.email}}, телефон [{{contact.phone}}], {{order.number}}',
      })
      .expect(201);
    expect(created.body).toMatchObject({ id: expect.any(String), shortcut: 'greet', language: null, inboxIds: [], createdBy: admin });
    greetId = created.body.id;

    const scoped = await request(harness.url)
      .post('/internal/v1/canned-responses')
      .set(as(admin, 'supervisor'))
      .send({ shortcut: 'refund-en', title: 'Refund', body: 'Hello {{contact.name}}, your refund is on its way.', language: 'en', inboxIds: [inboxB] })
      .expect(201);
    expect(scoped.body.inboxIds).toEqual([inboxB]);

    const taken = await request(harness.url).post('/internal/v1/canned-responses').set(asAdmin()).send({ shortcut: 'GREET', title: 't', body: 'b' }).expect(409);
    expect(taken.body.error.code).toBe('CANNED_RESPONSE_SHORTCUT_TAKEN');
    const operator = await request(harness.url).post('/internal/v1/canned-responses').set(as(operatorA)).send({ shortcut: 'mine', title: 't', body: 'b' }).expect(403);
    expect(operator.body.error.code).toBe('SUPERVISOR_REQUIRED');
  });

  it('answers 400 naming the failing field', async () => {
    const noTitle = await request(harness.url).post('/internal/v1/canned-responses').set(asAdmin()).send({ shortcut: 'x', body: 'b' }).expect(400);
    expect(noTitle.body.error.details.fields[0].path).toBe('title');
    const spaced = await request(harness.url).post('/internal/v1/canned-responses').set(asAdmin()).send({ shortcut: 'two words', title: 't', body: 'b' }).expect(400);
    expect(spaced.body.error.details.fields[0].path).toBe('shortcut');
    const unknownInbox = await request(harness.url)
      .post('/internal/v1/canned-responses')
      .set(asAdmin())
      .send({ shortcut: 'ghost', title: 't', body: 'b', inboxIds: [newId()] })
      .expect(400);
    expect(unknownInbox.body.error.details.fields[0].path).toBe('inboxIds.0');
    const empty = await request(harness.url).patch(`/internal/v1/canned-responses/${greetId}`).set(asAdmin()).send({}).expect(400);
    expect(empty.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('lists scripts by scope, inbox, language and shortcut prefix', async () => {
    expect(shortcuts((await request(harness.url).get('/internal/v1/canned-responses').set(asAdmin()).expect(200)).body)).toEqual(['greet', 'refund-en']);
    expect(shortcuts((await request(harness.url).get('/internal/v1/canned-responses').set(as(operatorA)).expect(200)).body)).toEqual(['greet']);
    expect(shortcuts((await request(harness.url).get('/internal/v1/canned-responses').query({ inboxId: inboxA }).set(asAdmin()).expect(200)).body)).toEqual(['greet']);
    expect(shortcuts((await request(harness.url).get('/internal/v1/canned-responses').query({ q: 'ref' }).set(asAdmin()).expect(200)).body)).toEqual(['refund-en']);
    expect(shortcuts((await request(harness.url).get('/internal/v1/canned-responses').query({ language: 'ru' }).set(asAdmin()).expect(200)).body)).toEqual(['greet']);
    const hidden = await request(harness.url).get('/internal/v1/canned-responses').query({ q: 'refund' }).set(as(operatorA)).expect(200);
    expect(hidden.body.items).toEqual([]);
    const bad = await request(harness.url).get('/internal/v1/canned-responses').query({ inboxId: 'nope' }).set(asAdmin()).expect(400);
    expect(bad.body.error.details.fields[0].path).toBe('inboxId');
  });

  it('renders variables for a conversation; unknown ones stay visible, empty ones render empty', async () => {
    const rendered = await request(harness.url).post(`/internal/v1/canned-responses/${greetId}/render`).set(as(operatorA)).send({ conversationId: conversationA }).expect(200);
    expect(rendered.body.text).toBe(
      `Здравствуйте, Иван Петров! Я Анна Операторова, Поддержка. Обращение ${conversationA}, почта ivan@example.com, телефон [], {{order.number}}`,
    );
    expect(rendered.body.missing).toEqual(['order.number']);

    const listed = await request(harness.url).get('/internal/v1/canned-responses').query({ conversationId: conversationA }).set(as(operatorA)).expect(200);
    expect(listed.body.items[0].rendered).toBe(rendered.body.text);
  });

  it('never reads a value as a template again', async () => {
    await harness.db.run((sql) =>
      sql.exec(`UPDATE contacts SET name = '{{operator.name}} {{inbox.name}}' WHERE id = (SELECT contact_id FROM conversations WHERE id = $1)`, [conversationA]),
    );
    const rendered = await request(harness.url).post(`/internal/v1/canned-responses/${greetId}/render`).set(as(operatorA)).send({ conversationId: conversationA }).expect(200);
    expect(rendered.body.text.startsWith('Здравствуйте, {{operator.name}} {{inbox.name}}! Я Анна Операторова')).toBe(true);
  });

  it('refuses to render outside the caller scope or for a missing script (404) and for another inbox (422)', async () => {
    const foreign = await request(harness.url).post(`/internal/v1/canned-responses/${greetId}/render`).set(as(operatorA)).send({ conversationId: conversationB }).expect(404);
    expect(foreign.body.error.code).toBe('CONVERSATION_NOT_FOUND');
    const missing = await request(harness.url).post(`/internal/v1/canned-responses/${newId()}/render`).set(as(operatorA)).send({ conversationId: conversationA }).expect(404);
    expect(missing.body.error.code).toBe('CANNED_RESPONSE_NOT_FOUND');
    const bad = await request(harness.url).post(`/internal/v1/canned-responses/${greetId}/render`).set(as(operatorA)).send({ conversationId: 'x' }).expect(400);
    expect(bad.body.error.details.fields[0].path).toBe('conversationId');
    const refund = (await request(harness.url).get('/internal/v1/canned-responses').query({ q: 'refund' }).set(asAdmin()).expect(200)).body.items[0] as Script;
    const wrongInbox = await request(harness.url).post(`/internal/v1/canned-responses/${refund.id}/render`).set(asAdmin()).send({ conversationId: conversationA }).expect(422);
    expect(wrongInbox.body.error.code).toBe('CANNED_RESPONSE_NOT_FOR_INBOX');
    const english = await request(harness.url).post(`/internal/v1/canned-responses/${refund.id}/render`).set(asAdmin()).send({ conversationId: conversationB }).expect(200);
    expect(english.body.text).toBe('Hello John, your refund is on its way.');
    await request(harness.url).get(`/internal/v1/canned-responses/${refund.id}`).set(as(operatorA)).expect(404);
  });

  it('updates and deletes a script (audit-logged); a deleted shortcut can be used again', async () => {
    const patched = await request(harness.url).patch(`/internal/v1/canned-responses/${greetId}`).set(asAdmin()).send({ title: 'Hello', language: 'ru' }).expect(200);
    expect(patched.body).toMatchObject({ shortcut: 'greet', title: 'Hello', language: 'ru' });
    const clash = await request(harness.url).patch(`/internal/v1/canned-responses/${greetId}`).set(asAdmin()).send({ shortcut: 'Refund-EN' }).expect(409);
    expect(clash.body.error.code).toBe('CANNED_RESPONSE_SHORTCUT_TAKEN');
    await request(harness.url).patch(`/internal/v1/canned-responses/${greetId}`).set(as(operatorA)).send({ title: 'x' }).expect(403);
    await request(harness.url).patch(`/internal/v1/canned-responses/${newId()}`).set(asAdmin()).send({ title: 'x' }).expect(404);

    await request(harness.url).delete(`/internal/v1/canned-responses/${greetId}`).set(as(operatorA)).expect(403);
    await request(harness.url).delete(`/internal/v1/canned-responses/${greetId}`).set(asAdmin()).expect(204);
    await request(harness.url).get(`/internal/v1/canned-responses/${greetId}`).set(asAdmin()).expect(404);
    await request(harness.url).delete(`/internal/v1/canned-responses/${greetId}`).set(asAdmin()).expect(404);
    await request(harness.url).post('/internal/v1/canned-responses').set(asAdmin()).send({ shortcut: 'greet', title: 'Again', body: 'Hi' }).expect(201);
    const audit = await harness.db.run((sql) =>
      sql.rows<{ action: string }>(`SELECT action FROM audit_log WHERE target_type = 'canned_response' AND target_id = $1 ORDER BY id`, [greetId]),
    );
    expect(audit.map((row) => row.action)).toEqual(['canned_response.created', 'canned_response.updated', 'canned_response.deleted']);
  });
});
