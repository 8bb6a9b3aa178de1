import { createTestDatabase, type TestDatabase } from '@switchboard/testing';
import { randomUUID } from 'node:crypto';
import { ConversationEventRepository } from '../../audit/conversation-event.repository';
import { ConversationLifecycle } from '../../conversations/conversation-lifecycle';
import { ConversationRepository } from '../../conversations/conversation.repository';
import { MessageRepository } from '../../messages/message.repository';
import type { ConversationEntity } from '../entities/conversation.entity';
import type { MessageEntity } from '../entities/message.entity';
import { CONVERSATION_COLUMNS } from '../conversation-columns';
import { InboxDatabase } from '../inbox-database';
import { fromRow, selectList } from '../row-mapping';

/** Every character array_in, record_in or a JSON lexer would treat specially, and some it would not. */
const AWKWARD = [
  '',
  'NULL',
  'null',
  '{}',
  '{"a","b"}',
  'a,b',
  '"quoted"',
  'back\\slash \\" \\\\',
  ' leading and trailing ',
  'Где мой заказ? Коробка пришла повреждённой',
  'سلام — emoji 📦',
  'tab\tnewline\ncarriage\r',
  'control \u0001 \u001e \u001f',
  '(1,2)',
  "it's",
];

describe('batch writes as unnested binary text[] columns (real Postgres)', () => {
  let database: TestDatabase;
  let db: InboxDatabase;
  const conversations = new ConversationRepository();
  const messages = new MessageRepository();
  const events = new ConversationEventRepository();
  const lifecycle = new ConversationLifecycle();
  const inboxId = randomUUID();
  const contactId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await InboxDatabase.open({ url: database.url, poolSize: 2 });
    await db.migrate();
    await db.transaction(async (sql) => {
      await sql.exec(`INSERT INTO inboxes (id, channel_type, name, settings) VALUES ($1, 'email', 'Support', '{}')`, [inboxId]);
      await sql.exec(`INSERT INTO contacts (id, name) VALUES ($1, 'Customer')`, [contactId]);
    });
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  function conversation(subject: string | null, labels: string[]): ConversationEntity {
    const at = new Date('2026-11-23T10:00:00.123Z');
    const entity = lifecycle.openFromInbound({ id: randomUUID(), inboxId, contactId, threadKey: subject ?? 'none', subject, at, autoReply: false, linkedConversationId: null }, {
      botId: null,
      defaultTeamId: null,
      sticky: true,
      firstResponseSlaSeconds: 600,
      resolutionSlaSeconds: null,
    });
    return { ...entity, labels, attributes: { note: subject, nested: { list: labels } }, priority: 3 };
  }

  async function readConversation(id: string): Promise<ConversationEntity> {
    const row = await db.transaction((sql) => sql.one<Record<string, unknown>>(`SELECT ${selectList(CONVERSATION_COLUMNS, 'c')} FROM conversations c WHERE c.id = $1`, [id]));
    return fromRow(CONVERSATION_COLUMNS, row as Record<string, unknown>);
  }

  it('stores conversations and messages value for value, whatever their text holds, and NULL only for null', async () => {
    const stored = AWKWARD.map((text) => conversation(text, [text, 'second', text]));
    stored.push(conversation(null, []));
    await db.transaction((sql) => conversations.insert(sql, stored));

    const written: MessageEntity[] = AWKWARD.map((text, index) => ({
      id: randomUUID(),
      conversationId: stored[index].id,
      inboxId,
      direction: 'inbound',
      senderType: 'contact',
      senderId: contactId,
      kind: 'message',
      subject: index % 2 === 0 ? text : null,
      text,
      html: index % 3 === 0 ? `<p>${text}</p>` : null,
      quotedText: null,
      attachments: index === 1 ? [{ key: `blobs/${text}`, name: text, contentType: 'text/plain', size: 3, sha256: 'ab'.repeat(32) }] : [],
      refusedAttachments: [],
      externalId: `<${index}.${text}@customer.example>`,
      inReplyTo: index > 0 ? `<${index - 1}@customer.example>` : null,
      references: [text, `<ref-${index}@example>`, ''],
      deliveryStatus: 'received',
      failureCode: null,
      failureReason: null,
      threadingReason: 'new',
      autoReply: index % 2 === 1,
      pinned: false,
      channelMetadata: index === 2 ? { raw: text, n: 0, flag: false, empty: null } : null,
      sentAt: new Date(Date.UTC(2026, 10, 23, 9, 0, index, 7)),
      editedAt: null,
      createdAt: new Date(Date.UTC(2026, 10, 23, 9, 1, index, 9)),
    }));
    await db.transaction((sql) => messages.insert(sql, written));

    for (const message of written) {
      expect(await db.transaction((sql) => messages.byId(sql, message.id))).toEqual(message);
    }
    for (const entity of stored) {
      expect(await readConversation(entity.id)).toEqual(entity);
    }
  });

  it('updates only the fields asked for, for every conversation of the batch', async () => {
    const stored = [conversation('first', ['a']), conversation('second', ['b'])];
    await db.transaction((sql) => conversations.insert(sql, stored));
    const changed = stored.map((entity, index) => ({
      ...entity,
      status: 'open' as const,
      lastMessagePreview: AWKWARD[index + 5],
      labels: ['not written'],
      waitingSince: null,
      version: entity.version + 1,
    }));
    await db.transaction((sql) => conversations.save(sql, changed, ['status', 'lastMessagePreview', 'waitingSince', 'version']));
    for (const [index, entity] of stored.entries()) {
      expect(await readConversation(entity.id)).toEqual({ ...entity, status: 'open', lastMessagePreview: AWKWARD[index + 5], waitingSince: null, version: 2 });
    }
  });

  it('appends audit rows with their data, an absent reason as NULL', async () => {
    const target = conversation('audited', []);
    await db.transaction((sql) => conversations.insert(sql, [target]));
    await db.transaction((sql) =>
      events.append(sql, [
        { conversationId: target.id, actor: { type: 'contact', id: contactId }, action: 'created', reason: 'new', data: { text: AWKWARD[7], list: AWKWARD } },
        { conversationId: target.id, actor: { type: 'system', id: null }, action: 'status_changed', reason: null, data: {} },
      ]),
    );
    const rows = await db.transaction((sql) => events.list(sql, target.id, null, 10));
    expect(rows.map(({ actorType, actorId, action, reason, data }) => ({ actorType, actorId, action, reason, data }))).toEqual([
      { actorType: 'contact', actorId: contactId, action: 'created', reason: 'new', data: { text: AWKWARD[7], list: AWKWARD } },
      { actorType: 'system', actorId: null, action: 'status_changed', reason: null, data: {} },
    ]);
  });
});
