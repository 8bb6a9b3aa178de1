import { Injectable } from '@nestjs/common';
import type { ConversationView } from '../conversations/conversation-view';
import { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageEntity } from '../persistence/entities/message.entity';
import { MESSAGE_COLUMNS } from '../persistence/message-columns';
import { castList, columnList, fromRow, selectList, unnestRows } from '../persistence/row-mapping';
import type { SqlExecutor } from '../persistence/sql-executor';
import { textArrayParam } from '../persistence/text-array-param';
import { newId } from '@switchboard/common/ids';

export interface IdentityInput {
  channelType: string;
  externalId: string;
  displayName: string | null;
  username: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
}

export interface ResolvedIdentity {
  contactId: string;
  contactName: string | null;
}

export interface ReferenceHit {
  inboxId: string;
  externalId: string;
  conversationId: string;
}

export interface ThreadKeyHit {
  id: string;
  inboxId: string;
  threadKey: string;
}

export interface ParticipantRow {
  conversationId: string;
  address: string;
  source: string;
}

export const identityKey = (channelType: string, externalId: string): string => `${channelType}\u0000${externalId}`;
export const inboxScopedKey = (inboxId: string, value: string): string => `${inboxId}\u0000${value}`;

/**
 * The set-based SQL of one ingestion batch: a handful of statements per batch whatever its size
 * (unnest instead of one statement per message).
 */
@Injectable()
export class IngestionRepository {
  constructor(private readonly conversations: ConversationRepository) {}

  /** (inbox_id, external_id) pairs already stored */
  async existingMessages(sql: SqlExecutor, pairs: ReadonlyArray<{ inboxId: string; externalId: string }>): Promise<Set<string>> {
    if (pairs.length === 0) return new Set();
    const rows = await sql.rows<{ inboxId: string; externalId: string }>(
      `SELECT m.inbox_id AS "inboxId", m.external_id AS "externalId"
       FROM unnest($1::text[], $2::text[]) AS u(inbox_id, external_id)
       JOIN messages m ON m.inbox_id = u.inbox_id::uuid AND m.external_id = u.external_id`,
      [textArrayParam(pairs.map((p) => p.inboxId)), textArrayParam(pairs.map((p) => p.externalId))],
    );
    return new Set(rows.map((row) => inboxScopedKey(row.inboxId, row.externalId)));
  }

  /**
   * `(channel_type, external_id)` → contact, creating a contact for every identity seen for the
   * first time. Safe under concurrency: identities are inserted with ON CONFLICT DO NOTHING in a
   * stable order; a contact created for an identity that another transaction won is removed.
   */
  async upsertIdentities(sql: SqlExecutor, inputs: readonly IdentityInput[]): Promise<Map<string, ResolvedIdentity>> {
    const unique = new Map<string, IdentityInput>();
    for (const input of inputs) unique.set(identityKey(input.channelType, input.externalId), input);
    const sorted = [...unique.values()].sort((a, b) =>
      a.channelType === b.channelType ? (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0) : a.channelType < b.channelType ? -1 : 1,
    );
    const resolved = await this.findIdentities(sql, sorted);
    const missing = sorted.filter((input) => !resolved.has(identityKey(input.channelType, input.externalId)));
    if (missing.length === 0) return resolved;

    const contacts = missing.map((input) => ({
      id: newId(),
      name: input.displayName ?? input.username ?? input.email ?? input.phone ?? null,
      email: input.email,
      phone: input.phone,
      language: input.language,
    }));
    await sql.exec(
      `INSERT INTO contacts (id, name, email, phone, language)
       SELECT u.id::uuid, u.name, u.email, u.phone, u.language FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, name, email, phone, language)`,
      [contacts.map((c) => c.id), contacts.map((c) => c.name), contacts.map((c) => c.email), contacts.map((c) => c.phone), contacts.map((c) => c.language)].map(textArrayParam),
    );
    const inserted = await sql.rows<{ channelType: string; externalId: string; contactId: string }>(
      `INSERT INTO contact_identities (id, contact_id, channel_type, external_id, display_name, username, email, phone)
       SELECT u.id::uuid, u.contact_id::uuid, u.channel_type, u.external_id, u.display_name, u.username, u.email, u.phone
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS u(id, contact_id, channel_type, external_id, display_name, username, email, phone)
       ON CONFLICT (channel_type, external_id) DO NOTHING
       RETURNING channel_type AS "channelType", external_id AS "externalId", contact_id AS "contactId"`,
      [
        missing.map(() => newId()),
        contacts.map((c) => c.id),
        missing.map((m) => m.channelType),
        missing.map((m) => m.externalId),
        missing.map((m) => m.displayName),
        missing.map((m) => m.username),
        missing.map((m) => m.email),
        missing.map((m) => m.phone),
      ].map(textArrayParam),
    );
    const won = new Set(inserted.map((row) => identityKey(row.channelType, row.externalId)));
    missing.forEach((input, index) => {
      const key = identityKey(input.channelType, input.externalId);
      if (won.has(key)) resolved.set(key, { contactId: contacts[index].id, contactName: contacts[index].name });
    });
    const lost = missing.filter((input) => !won.has(identityKey(input.channelType, input.externalId)));
    if (lost.length > 0) {
      const orphanIds = missing.map((input, index) => (won.has(identityKey(input.channelType, input.externalId)) ? null : contacts[index].id));
      await sql.exec(`DELETE FROM contacts WHERE id = ANY($1::uuid[])`, [orphanIds.filter((id): id is string => id !== null)]);
      for (const [key, value] of await this.findIdentities(sql, lost)) resolved.set(key, value);
    }
    return resolved;
  }

  private async findIdentities(sql: SqlExecutor, inputs: readonly IdentityInput[]): Promise<Map<string, ResolvedIdentity>> {
    if (inputs.length === 0) return new Map();
    const rows = await sql.rows<{ channelType: string; externalId: string; contactId: string; contactName: string | null }>(
      `SELECT ci.channel_type AS "channelType", ci.external_id AS "externalId", ci.contact_id AS "contactId", c.name AS "contactName"
       FROM unnest($1::text[], $2::text[]) AS u(channel_type, external_id)
       JOIN contact_identities ci ON ci.channel_type = u.channel_type AND ci.external_id = u.external_id
       JOIN contacts c ON c.id = ci.contact_id`,
      [textArrayParam(inputs.map((i) => i.channelType)), textArrayParam(inputs.map((i) => i.externalId))],
    );
    return new Map(rows.map((row) => [identityKey(row.channelType, row.externalId), { contactId: row.contactId, contactName: row.contactName }]));
  }

  /** messages of these inboxes with these external ids (References / In-Reply-To lookup) */
  async referencedMessages(sql: SqlExecutor, pairs: ReadonlyArray<{ inboxId: string; externalId: string }>): Promise<ReferenceHit[]> {
    if (pairs.length === 0) return [];
    return sql.rows<ReferenceHit>(
      `SELECT m.inbox_id AS "inboxId", m.external_id AS "externalId", m.conversation_id AS "conversationId"
       FROM unnest($1::text[], $2::text[]) AS u(inbox_id, external_id)
       JOIN messages m ON m.inbox_id = u.inbox_id::uuid AND m.external_id = u.external_id`,
      [textArrayParam(pairs.map((p) => p.inboxId)), textArrayParam(pairs.map((p) => p.externalId))],
    );
  }

  /** conversations with these thread keys, newest first */
  async conversationsByThreadKey(sql: SqlExecutor, pairs: ReadonlyArray<{ inboxId: string; threadKey: string }>): Promise<ThreadKeyHit[]> {
    if (pairs.length === 0) return [];
    return sql.rows<ThreadKeyHit>(
      `SELECT c.id, c.inbox_id AS "inboxId", c.thread_key AS "threadKey"
       FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[])) AS u(inbox_id, thread_key)
       JOIN conversations c ON c.inbox_id = u.inbox_id::uuid AND c.thread_key = u.thread_key
       ORDER BY c.created_at DESC, c.id DESC`,
      [textArrayParam(pairs.map((p) => p.inboxId)), textArrayParam(pairs.map((p) => p.threadKey))],
    );
  }

  async participants(sql: SqlExecutor, conversationIds: readonly string[]): Promise<ParticipantRow[]> {
    if (conversationIds.length === 0) return [];
    return sql.rows<ParticipantRow>(
      `SELECT conversation_id AS "conversationId", address, source FROM conversation_participants WHERE conversation_id = ANY($1::uuid[])`,
      [conversationIds],
    );
  }

  /** @returns ids of the rows inserted (a message already stored is skipped) */
  async insertMessages(sql: SqlExecutor, messages: readonly MessageEntity[]): Promise<Set<string>> {
    if (messages.length === 0) return new Set();
    const values = unnestRows(MESSAGE_COLUMNS, messages, 'r');
    const rows = await sql.rows<{ id: string }>(
      `INSERT INTO messages (${columnList(MESSAGE_COLUMNS)})
       SELECT ${castList(MESSAGE_COLUMNS, 'r')} FROM ${values.from}
       ON CONFLICT (inbox_id, external_id) DO NOTHING
       RETURNING id`,
      values.params,
    );
    return new Set(rows.map((row) => row.id));
  }

  async insertParticipants(sql: SqlExecutor, participants: readonly ParticipantRow[]): Promise<void> {
    if (participants.length === 0) return;
    await sql.exec(
      `INSERT INTO conversation_participants (conversation_id, address, source)
       SELECT u.conversation_id::uuid, u.address, u.source FROM unnest($1::text[], $2::text[], $3::text[]) AS u(conversation_id, address, source)
       ON CONFLICT DO NOTHING`,
      [participants.map((p) => p.conversationId), participants.map((p) => p.address), participants.map((p) => p.source)].map(textArrayParam),
    );
  }

  /** the stored message with this external id, its conversation locked first */
  async lockMessageByExternalId(sql: SqlExecutor, inboxId: string, externalId: string): Promise<{ view: ConversationView; message: MessageEntity } | undefined> {
    const ref = await sql.one<{ conversationId: string }>(
      `SELECT conversation_id AS "conversationId" FROM messages WHERE inbox_id = $1 AND external_id = $2`,
      [inboxId, externalId],
    );
    if (!ref) return undefined;
    const view = await this.conversations.lockView(sql, ref.conversationId);
    const row = await sql.one<Record<string, unknown>>(
      `SELECT ${selectList(MESSAGE_COLUMNS, 'm')} FROM messages m WHERE m.inbox_id = $1 AND m.external_id = $2`,
      [inboxId, externalId],
    );
    if (!view || !row) return undefined;
    return { view, message: fromRow(MESSAGE_COLUMNS, row) };
  }

  async saveMessageEdit(sql: SqlExecutor, message: MessageEntity): Promise<void> {
    await sql.exec(`UPDATE messages SET text = $2, html = $3, edited_at = $4 WHERE id = $1`, [message.id, message.text, message.html, message.editedAt]);
  }
}
