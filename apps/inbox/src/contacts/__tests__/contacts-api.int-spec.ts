import { FsBlobStore } from '@switchboard/common';
import { newId } from '@switchboard/common/ids';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually, inboundEvent, INTERNAL_TOKEN, publishInbound, seedInbox, seedOperator, startInboxHarness, type InboxHarness } from '../../__tests__/support/inbox-harness';

interface Item {
  id: string;
}

describe('contacts internal API (real Kafka + Postgres)', () => {
  let harness: InboxHarness;
  let inboxA: string;
  let inboxB: string;
  let operatorA: string;
  let admin: string;

  const as = (actorId: string, role = 'operator') => ({ Authorization: `Bearer ${INTERNAL_TOKEN}`, 'x-actor-id': actorId, 'x-actor-role': role });
  const asAdmin = () => as(admin, 'admin');
  const ids = (body: { items: Item[] }) => body.items.map((item) => item.id);

  const blobDir = mkdtempSync(join(tmpdir(), 'inbox-blobs-'));
  const blobs = new FsBlobStore(blobDir);

  /** a customer writes to an inbox; resolves with the contact and conversation ids */
  async function customerWrites(
    inboxId: string,
    externalId: string,
    displayName: string,
    text: string,
    attachments: Array<{ key: string; name: string; size: number; contentType: string; sha256: string }> = [],
  ): Promise<{ contactId: string; conversationId: string }> {
    const event = inboundEvent({ inboxId, channelType: 'telegram', threadKey: `chat-${externalId}`, sender: { externalId, displayName }, text, attachments });
    await publishInbound(harness.bus, [event]);
    return eventually(async () =>
      harness.db.run((sql) =>
        sql.one<{ contactId: string; conversationId: string }>(
          `SELECT c.contact_id AS "contactId", c.id AS "conversationId" FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.external_id = $1`,
          [event.data.externalId],
        ),
      ),
    );
  }

  beforeAll(async () => {
    // the erasure sweep runs only when an erasure asks for it, so the test sees what that alone does
    harness = await startInboxHarness({ env: { ROUTING_SWEEP_MS: '0', BLOB_DIR: blobDir, BLOB_ERASURE_SWEEP_MS: '0' } });
    inboxA = await seedInbox(harness.db, { channelType: 'telegram', name: 'Support RU' });
    inboxB = await seedInbox(harness.db, { channelType: 'telegram', name: 'Support EN' });
    operatorA = await seedOperator(harness.db, { name: 'Ann', availability: 'offline' });
    admin = await seedOperator(harness.db, { name: 'Root', role: 'admin', availability: 'offline' });
    await harness.db.run((sql) => sql.exec(`INSERT INTO inbox_members (inbox_id, operator_id) VALUES ($1, $2)`, [inboxA, operatorA]));
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
    rmSync(blobDir, { recursive: true, force: true });
  });

  it('refuses calls without the internal token (401)', async () => {
    await request(harness.url).get('/internal/v1/contacts').expect(401);
  });

  it('searches by Russian and English names and by an identity external id, scoped to the operator', async () => {
    const ivan = await customerWrites(inboxA, 'tg-ivan-1001', 'Иван Петров', 'Где мой заказ?');
    const john = await customerWrites(inboxB, 'tg-john-2002', 'John Smith', 'Where is my order?');

    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'иван' }).set(asAdmin()).expect(200)).body)).toEqual([ivan.contactId]);
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'ПЕТРОВ' }).set(asAdmin()).expect(200)).body)).toEqual([ivan.contactId]);
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'smith' }).set(asAdmin()).expect(200)).body)).toEqual([john.contactId]);
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'john-2002' }).set(asAdmin()).expect(200)).body)).toEqual([john.contactId]);

    const operatorView = await request(harness.url).get('/internal/v1/contacts').set(as(operatorA)).expect(200);
    expect(ids(operatorView.body)).toContain(ivan.contactId);
    expect(ids(operatorView.body)).not.toContain(john.contactId);
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'john' }).set(as(operatorA)).expect(200)).body)).toEqual([]);
    const hidden = await request(harness.url).get(`/internal/v1/contacts/${john.contactId}`).set(as(operatorA)).expect(404);
    expect(hidden.body.error.code).toBe('CONTACT_NOT_FOUND');
  });

  it('shows a contact with its identities and the conversations the caller may see', async () => {
    const maria = await customerWrites(inboxA, 'tg-maria-3003', 'Мария', 'Добрый день');
    const detail = await request(harness.url).get(`/internal/v1/contacts/${maria.contactId}`).set(as(operatorA)).expect(200);
    expect(detail.body).toMatchObject({ id: maria.contactId, name: 'Мария', identities: [{ channel: 'telegram', externalId: 'tg-maria-3003' }] });
    expect(detail.body.conversations.map((c: Item) => c.id)).toEqual([maria.conversationId]);
    const missing = await request(harness.url).get(`/internal/v1/contacts/${newId()}`).set(asAdmin()).expect(404);
    expect(missing.body.error.code).toBe('CONTACT_NOT_FOUND');
    const badId = await request(harness.url).get('/internal/v1/contacts/not-a-uuid').set(asAdmin()).expect(400);
    expect(badId.body.error.details.fields[0].path).toBe('id');
  });

  it('patches name, email, phone and attributes, then finds the contact by email and phone digits', async () => {
    const olga = await customerWrites(inboxA, 'tg-olga-4004', 'Olga', 'hi');
    const patched = await request(harness.url)
      .patch(`/internal/v1/contacts/${olga.contactId}`)
      .set(as(operatorA))
      .send({ name: 'Ольга Смирнова', email: 'olga.s@example.com', phone: '+7 (912) 555-01-02', attributes: { vip: true, plan: 'gold' } })
      .expect(200);
    expect(patched.body).toMatchObject({ name: 'Ольга Смирнова', email: 'olga.s@example.com', phone: '+7 (912) 555-01-02', attributes: { vip: true, plan: 'gold' } });
    const again = await request(harness.url).patch(`/internal/v1/contacts/${olga.contactId}`).set(as(operatorA)).send({ attributes: { plan: null } }).expect(200);
    expect(again.body.attributes).toEqual({ vip: true });

    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'olga.s@example' }).set(asAdmin()).expect(200)).body)).toEqual([olga.contactId]);
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: '9125550102' }).set(asAdmin()).expect(200)).body)).toEqual([olga.contactId]);
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'смирнова' }).set(asAdmin()).expect(200)).body)).toEqual([olga.contactId]);

    const invalid = await request(harness.url).patch(`/internal/v1/contacts/${olga.contactId}`).set(as(operatorA)).send({ email: 'not-an-email' }).expect(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.error.details.fields[0].path).toBe('email');
    await request(harness.url).patch(`/internal/v1/contacts/${newId()}`).set(asAdmin()).send({ name: 'x' }).expect(404);
  });

  it('pages the list with a cursor and refuses a foreign cursor', async () => {
    const first = await request(harness.url).get('/internal/v1/contacts').query({ limit: 2 }).set(asAdmin()).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await request(harness.url).get('/internal/v1/contacts').query({ limit: 2, cursor: first.body.nextCursor }).set(asAdmin()).expect(200);
    const all = [...ids(first.body), ...ids(second.body)];
    expect(new Set(all).size).toBe(all.length);
    expect(second.body.items.length).toBeGreaterThan(0);
    const bad = await request(harness.url).get('/internal/v1/contacts').query({ cursor: 'garbage' }).set(asAdmin()).expect(400);
    expect(bad.body.error.details.fields[0].path).toBe('cursor');
    const badLimit = await request(harness.url).get('/internal/v1/contacts').query({ limit: 0 }).set(asAdmin()).expect(400);
    expect(badLimit.body.error.details.fields[0].path).toBe('limit');
  });

  it('merges another contact: identities and conversations move, both histories stay, the merge is recorded', async () => {
    const target = await customerWrites(inboxA, 'tg-petr-5005', 'Пётр', 'Первое обращение');
    const other = await customerWrites(inboxB, 'tg-petr-6006', 'Petr (second account)', 'Second account message');

    const refused = await request(harness.url).post(`/internal/v1/contacts/${target.contactId}/merge`).set(as(operatorA)).send({ otherContactId: other.contactId }).expect(403);
    expect(refused.body.error.code).toBe('SUPERVISOR_REQUIRED');
    const invalid = await request(harness.url).post(`/internal/v1/contacts/${target.contactId}/merge`).set(asAdmin()).send({ otherContactId: 'x' }).expect(400);
    expect(invalid.body.error.details.fields[0].path).toBe('otherContactId');
    await request(harness.url).post(`/internal/v1/contacts/${target.contactId}/merge`).set(asAdmin()).send({ otherContactId: newId() }).expect(404);
    await request(harness.url).post(`/internal/v1/contacts/${target.contactId}/merge`).set(asAdmin()).send({ otherContactId: target.contactId }).expect(422);

    const merged = await request(harness.url).post(`/internal/v1/contacts/${target.contactId}/merge`).set(as(admin, 'supervisor')).send({ otherContactId: other.contactId }).expect(200);
    expect(merged.body.identities.map((i: { externalId: string }) => i.externalId).sort()).toEqual(['tg-petr-5005', 'tg-petr-6006']);
    expect(merged.body.conversations.map((c: Item) => c.id).sort()).toEqual([target.conversationId, other.conversationId].sort());
    expect(merged.body.mergedContactIds).toEqual([other.contactId]);

    const old = await request(harness.url).get(`/internal/v1/contacts/${other.contactId}`).set(asAdmin()).expect(200);
    expect(old.body.mergedIntoId).toBe(target.contactId);
    const texts = await harness.db.run((sql) =>
      sql.rows<{ text: string }>(`SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.contact_id = $1 ORDER BY m.text`, [target.contactId]),
    );
    expect(texts.map((row) => row.text)).toEqual(['Second account message', 'Первое обращение']);
    const events = await request(harness.url).get(`/internal/v1/conversations/${other.conversationId}/events`).set(asAdmin()).expect(200);
    expect(events.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'contact_merged' })]));
    const audit = await harness.db.run((sql) => sql.rows<{ action: string; actor_id: string }>(`SELECT action, actor_id FROM audit_log WHERE target_id = $1`, [target.contactId]));
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'contact.merged', actor_id: admin })]));
    // the operator of inbox A now sees the merged conversation list only for their inbox
    const operatorView = await request(harness.url).get(`/internal/v1/contacts/${target.contactId}`).set(as(operatorA)).expect(200);
    expect(operatorView.body.conversations.map((c: Item) => c.id)).toEqual([target.conversationId]);
    const again = await request(harness.url).post(`/internal/v1/contacts/${target.contactId}/merge`).set(asAdmin()).send({ otherContactId: other.contactId }).expect(422);
    expect(again.body.error.code).toBe('CONTACT_MERGED');
  });

  it('exports everything about a contact as JSON (supervisors and admins), audit-logged', async () => {
    const sofia = await customerWrites(inboxA, 'tg-sofia-7007', 'Sofia', 'Export me please');
    await request(harness.url).get(`/internal/v1/contacts/${sofia.contactId}/export`).set(as(operatorA)).expect(403);
    const exported = await request(harness.url).get(`/internal/v1/contacts/${sofia.contactId}/export`).set(asAdmin()).expect(200);
    expect(exported.headers['content-disposition']).toContain(`contact-${sofia.contactId}.json`);
    expect(exported.body.contact).toMatchObject({ id: sofia.contactId, name: 'Sofia', identities: [{ externalId: 'tg-sofia-7007' }] });
    expect(exported.body.conversations).toHaveLength(1);
    expect(exported.body.conversations[0].messages.map((m: { text: string }) => m.text)).toContain('Export me please');
    const audit = await harness.db.run((sql) => sql.one<{ count: number }>(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'contact.exported' AND target_id = $1`, [sofia.contactId]));
    expect(audit?.count).toBe(1);
  });

  it('erases a contact: personal data, identities and its message texts are gone, conversation skeletons stay', async () => {
    const eva = await customerWrites(inboxA, 'tg-eva-8008', 'Ева Секретная', 'Мой паспорт 1234 567890');
    await request(harness.url).patch(`/internal/v1/contacts/${eva.contactId}`).set(asAdmin()).send({ email: 'eva@example.com', phone: '+79990001122' }).expect(200);
    const reply = await request(harness.url).post(`/internal/v1/conversations/${eva.conversationId}/messages`).set(as(operatorA)).send({ text: 'Спасибо, проверяем' }).expect(201);

    for (const role of ['operator', 'supervisor']) {
      const refused = await request(harness.url).delete(`/internal/v1/contacts/${eva.contactId}`).set(as(operatorA, role)).expect(403);
      expect(refused.body.error.code).toBe('ADMIN_REQUIRED');
    }
    await request(harness.url).delete(`/internal/v1/contacts/${newId()}`).set(asAdmin()).expect(404);

    const erased = await request(harness.url).delete(`/internal/v1/contacts/${eva.contactId}`).set(asAdmin()).expect(200);
    expect(erased.body).toMatchObject({ id: eva.contactId, conversations: 1, messages: 1, identities: 1 });

    const contact = await harness.db.run((sql) =>
      sql.one<Record<string, unknown>>(`SELECT name, email, phone, attributes, erased_at FROM contacts WHERE id = $1`, [eva.contactId]),
    );
    expect(contact).toMatchObject({ name: null, email: null, phone: null, attributes: {} });
    expect(contact?.erased_at).toBeInstanceOf(Date);
    const identities = await harness.db.run((sql) => sql.one<{ count: number }>(`SELECT count(*)::int AS count FROM contact_identities WHERE external_id = 'tg-eva-8008'`));
    expect(identities?.count).toBe(0);
    const leaks = await harness.db.run((sql) =>
      sql.one<{ count: number }>(
        `SELECT count(*)::int AS count FROM messages WHERE text LIKE '%паспорт%' OR text LIKE '%1234 567890%' OR coalesce(html, '') LIKE '%паспорт%'`,
      ),
    );
    expect(leaks?.count).toBe(0);
    const conversation = await harness.db.run((sql) =>
      sql.one<{ id: string; preview: string | null; messages: number }>(
        `SELECT c.id, c.last_message_preview AS preview, (SELECT count(*)::int FROM messages m WHERE m.conversation_id = c.id) AS messages FROM conversations c WHERE c.id = $1`,
        [eva.conversationId],
      ),
    );
    expect(conversation).toMatchObject({ id: eva.conversationId, preview: null, messages: 2 });
    const operatorReply = await harness.db.run((sql) => sql.one<{ text: string }>(`SELECT text FROM messages WHERE id = $1`, [reply.body.id]));
    expect(operatorReply?.text).toBe('Спасибо, проверяем');
    const audit = await harness.db.run((sql) =>
      sql.one<{ actor_id: string; data: Record<string, unknown> }>(`SELECT actor_id, data FROM audit_log WHERE action = 'contact.erased' AND target_id = $1`, [eva.contactId]),
    );
    expect(audit).toMatchObject({ actor_id: admin, data: { conversations: 1, messages: 1, identities: 1 } });
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: 'секретная' }).set(asAdmin()).expect(200)).body)).toEqual([]);
    expect(ids((await request(harness.url).get('/internal/v1/contacts').query({ q: '79990001122' }).set(asAdmin()).expect(200)).body)).toEqual([]);
    const patchErased = await request(harness.url).patch(`/internal/v1/contacts/${eva.contactId}`).set(asAdmin()).send({ name: 'Back' }).expect(422);
    expect(patchErased.body.error.code).toBe('CONTACT_ERASED');
  });

  it("erases the files of a contact's attachments, and keeps a file another message still refers to", async () => {
    const put = async (content: string) => {
      const ref = await blobs.put({ data: Buffer.from(content), name: 'scan.jpg', contentType: 'image/jpeg' });
      return { key: ref.key, name: 'scan.jpg', size: ref.size, contentType: 'image/jpeg', sha256: ref.sha256 };
    };
    const passport = await put('passport scan of Olga');
    const shared = await put('a leaflet both customers forwarded');
    const olga = await customerWrites(inboxA, 'tg-olga-9009', 'Ольга', 'Паспорт во вложении', [passport, shared]);
    await customerWrites(inboxA, 'tg-petr-9010', 'Пётр', 'И у меня эта листовка', [shared]);
    expect(await blobs.exists(passport.key)).toBe(true);

    const erased = await request(harness.url).delete(`/internal/v1/contacts/${olga.contactId}`).set(asAdmin()).expect(200);
    expect(erased.body).toMatchObject({ id: olga.contactId, messages: 1, attachments: 1 });
    await eventually(async () => !(await blobs.exists(passport.key)), 15_000, 'the erased file to be deleted');
    expect(await blobs.exists(shared.key)).toBe(true);
    const queued = await harness.db.run((sql) => sql.one<{ count: number }>(`SELECT count(*)::int AS count FROM blob_deletions`));
    expect(queued?.count).toBe(0);
    const stored = await harness.db.run((sql) =>
      sql.one<{ attachments: unknown[] }>(`SELECT attachments FROM messages WHERE conversation_id = $1 AND sender_type = 'contact'`, [olga.conversationId]),
    );
    expect(stored?.attachments).toEqual([]);
  });
});
