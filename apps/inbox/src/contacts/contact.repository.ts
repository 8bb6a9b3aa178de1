import { Injectable } from '@nestjs/common';
import type { RequestActor } from '../http/request-actor';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { ContactIdentityRecord, ContactRecord } from './contact-record';
import { attachmentStillReferenced } from './attachment-references';

export interface ContactSearch {
  /** visible inbox ids, or null for all */
  inboxIds: string[] | null;
  /** prefix tsquery of the words (simple configuration), or null */
  tsQuery: string | null;
  /** `%text%` (lower-cased, LIKE-escaped), or null */
  pattern: string | null;
  /** `%digits%` when the text holds a phone-like run of digits, or null */
  digits: string | null;
  /** the page starts after this id (ids are time-ordered, newest first) */
  beforeId: string | null;
  limit: number;
}

interface ContactRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  attributes: Record<string, unknown>;
  mergedIntoId: string | null;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
}

interface IdentityRow {
  id: string;
  contactId: string;
  channel: string;
  externalId: string;
  displayName: string | null;
  username: string | null;
  email: string | null;
  phone: string | null;
  createdAt: Date;
}

const CONTACT_SELECT = `ct.id, ct.name, ct.email, ct.phone, ct.language, ct.attributes, ct.merged_into_id AS "mergedIntoId",
  ct.created_at AS "createdAt", ct.updated_at AS "updatedAt", ct.erased_at AS "erasedAt"`;

const VISIBLE = `($1::uuid[] IS NULL OR EXISTS (SELECT 1 FROM conversations vc WHERE vc.contact_id = ct.id AND vc.inbox_id = ANY($1::uuid[])))`;

/** SQL of contacts and their identities: search, reads, patch, merge, erasure, export. */
@Injectable()
export class ContactRepository {
  async search(sql: SqlExecutor, search: ContactSearch): Promise<ContactRecord[]> {
    const rows = await sql.rows<ContactRow>(
      `SELECT ${CONTACT_SELECT} FROM contacts ct
        WHERE ct.merged_into_id IS NULL AND ct.erased_at IS NULL AND ${VISIBLE}
          AND ($2::text IS NULL
               OR ($3::text IS NOT NULL AND ct.search @@ to_tsquery('simple', $3))
               OR lower(ct.name) LIKE $2 OR lower(ct.email) LIKE $2
               OR ($4::text IS NOT NULL AND regexp_replace(coalesce(ct.phone, ''), '\\D', '', 'g') LIKE $4)
               OR EXISTS (SELECT 1 FROM contact_identities ci WHERE ci.contact_id = ct.id AND (
                    lower(ci.external_id) LIKE $2 OR lower(ci.username) LIKE $2 OR lower(ci.display_name) LIKE $2 OR lower(ci.email) LIKE $2
                    OR ($4::text IS NOT NULL AND regexp_replace(coalesce(ci.phone, ''), '\\D', '', 'g') LIKE $4))))
          AND ($5::uuid IS NULL OR ct.id < $5::uuid)
        ORDER BY ct.id DESC
        LIMIT $6`,
      [search.inboxIds, search.pattern, search.tsQuery, search.digits, search.beforeId, search.limit],
    );
    return this.withIdentities(sql, rows);
  }

  /** the contact if it exists and (inboxIds given) has a conversation in one of them */
  async findVisible(sql: SqlExecutor, id: string, inboxIds: string[] | null, lock = false): Promise<ContactRecord | undefined> {
    const rows = await sql.rows<ContactRow>(`SELECT ${CONTACT_SELECT} FROM contacts ct WHERE ct.id = $2 AND ${VISIBLE}${lock ? ' FOR UPDATE OF ct' : ''}`, [
      inboxIds,
      id,
    ]);
    const [contact] = await this.withIdentities(sql, rows);
    return contact;
  }

  /** ids of the contacts that were merged into this one */
  async mergedFrom(sql: SqlExecutor, id: string): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(`SELECT id FROM contacts WHERE merged_into_id = $1 ORDER BY id`, [id]);
    return rows.map((row) => row.id);
  }

  async update(sql: SqlExecutor, id: string, patch: { name?: string | null; email?: string | null; phone?: string | null; language?: string | null; attributes?: Record<string, unknown> }): Promise<void> {
    const set: string[] = [];
    const params: unknown[] = [id];
    for (const field of ['name', 'email', 'phone', 'language'] as const) {
      if (patch[field] !== undefined) {
        params.push(patch[field]);
        set.push(`${field} = $${params.length}`);
      }
    }
    if (patch.attributes !== undefined) {
      const removed = Object.entries(patch.attributes)
        .filter(([, value]) => value === null)
        .map(([key]) => key);
      const added = Object.fromEntries(Object.entries(patch.attributes).filter(([, value]) => value !== null));
      params.push(JSON.stringify(added), removed);
      set.push(`attributes = (attributes || $${params.length - 1}::jsonb) - $${params.length}::text[]`);
    }
    set.push('updated_at = now()');
    await sql.exec(`UPDATE contacts SET ${set.join(', ')} WHERE id = $1`, params);
  }

  /**
   * Moves `otherId`'s identities and conversations to `targetId`, fills the target's empty fields from the
   * other, and marks the other (and what was merged into it before) as merged into the target.
   */
  async merge(sql: SqlExecutor, targetId: string, otherId: string): Promise<{ identities: number; conversationIds: string[] }> {
    const identities = await sql.exec(`UPDATE contact_identities SET contact_id = $1 WHERE contact_id = $2`, [targetId, otherId]);
    const moved = await sql.rows<{ id: string }>(`UPDATE conversations SET contact_id = $1, updated_at = now() WHERE contact_id = $2 RETURNING id`, [targetId, otherId]);
    await sql.exec(
      `UPDATE contacts t SET name = coalesce(t.name, o.name), email = coalesce(t.email, o.email), phone = coalesce(t.phone, o.phone),
              language = coalesce(t.language, o.language), attributes = o.attributes || t.attributes, updated_at = now()
         FROM contacts o WHERE t.id = $1 AND o.id = $2`,
      [targetId, otherId],
    );
    await sql.exec(`UPDATE contacts SET merged_into_id = $1, updated_at = now() WHERE merged_into_id = $2 OR id = $2`, [targetId, otherId]);
    return { identities, conversationIds: moved.map((row) => row.id) };
  }

  /**
   * Erasure: the contact's (and its merged-in contacts') personal data, its identities, the texts of the
   * messages it wrote, participants' addresses, subjects, previews and bot-collected data. Conversation
   * rows (status, times, assignee, inbox) stay for statistics.
   */
  async erase(sql: SqlExecutor, id: string): Promise<{ conversationIds: string[]; messages: number; identities: number; attachments: number }> {
    const contactIds = [id, ...(await this.mergedFrom(sql, id))];
    const conversations = await sql.rows<{ id: string }>(`SELECT id FROM conversations WHERE contact_id = ANY($1::uuid[]) ORDER BY id`, [contactIds]);
    const conversationIds = conversations.map((row) => row.id);
    // the keys of the files the contact sent, read before the messages forget them
    const attachmentKeys = await sql.rows<{ key: string }>(
      `SELECT DISTINCT a.value->>'key' AS key
         FROM messages m CROSS JOIN jsonb_array_elements(m.attachments) AS a
        WHERE m.conversation_id = ANY($1::uuid[]) AND m.sender_type = 'contact' AND m.attachments <> '[]'::jsonb AND a.value ? 'key'`,
      [conversationIds],
    );
    const messages = await sql.exec(
      `UPDATE messages SET text = '[erased]', html = NULL, quoted_text = NULL, subject = NULL, attachments = '[]', refused_attachments = '[]',
              channel_metadata = NULL, edited_at = now()
        WHERE conversation_id = ANY($1::uuid[]) AND sender_type = 'contact'`,
      [conversationIds],
    );
    await sql.exec(`UPDATE messages SET quoted_text = NULL WHERE conversation_id = ANY($1::uuid[]) AND sender_type <> 'contact'`, [conversationIds]);
    await sql.exec(`DELETE FROM conversation_participants WHERE conversation_id = ANY($1::uuid[])`, [conversationIds]);
    await sql.exec(`UPDATE conversations SET subject = NULL, last_message_preview = NULL, attributes = '{}', updated_at = now() WHERE id = ANY($1::uuid[])`, [
      conversationIds,
    ]);
    await sql.exec(`UPDATE handoffs SET summary = '[erased]', collected = '{}' WHERE conversation_id = ANY($1::uuid[])`, [conversationIds]);
    const identities = await sql.exec(`DELETE FROM contact_identities WHERE contact_id = ANY($1::uuid[])`, [contactIds]);
    await sql.exec(
      `UPDATE contacts SET name = NULL, email = NULL, phone = NULL, language = NULL, attributes = '{}', erased_at = coalesce(erased_at, now()), updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [contactIds],
    );
    // the files go too, unless another message still refers to them; a sweep deletes them after the commit
    const scheduled = await sql.rows<{ key: string }>(
      `INSERT INTO blob_deletions (key)
       SELECT k FROM unnest($1::text[]) AS k
        WHERE NOT ${attachmentStillReferenced('k')}
       ON CONFLICT (key) DO NOTHING
       RETURNING key`,
      [attachmentKeys.map((row) => row.key)],
    );
    return { conversationIds, messages, identities, attachments: scheduled.length };
  }

  /** everything stored about the contact's conversations, for the export */
  async exportConversations(sql: SqlExecutor, id: string): Promise<Array<Record<string, unknown>>> {
    return sql.rows<Record<string, unknown>>(
      `SELECT c.id, c.inbox_id AS "inboxId", i.name AS "inboxName", i.channel_type AS channel, c.status, c.subject, c.type, c.labels, c.attributes,
              c.created_at AS "createdAt", c.first_response_at AS "firstResponseAt", c.resolved_at AS "resolvedAt",
              coalesce((SELECT json_agg(json_build_object('id', m.id, 'direction', m.direction, 'senderType', m.sender_type, 'kind', m.kind,
                        'subject', m.subject, 'text', m.text, 'attachments', m.attachments, 'createdAt', m.created_at) ORDER BY m.created_at, m.id)
                        FROM messages m WHERE m.conversation_id = c.id), '[]') AS messages,
              coalesce((SELECT json_agg(json_build_object('id', h.id, 'summary', h.summary, 'intent', h.intent, 'collected', h.collected, 'createdAt', h.created_at)
                        ORDER BY h.created_at) FROM handoffs h WHERE h.conversation_id = c.id), '[]') AS handoffs,
              coalesce((SELECT json_agg(p.address ORDER BY p.address) FROM conversation_participants p WHERE p.conversation_id = c.id), '[]') AS participants
         FROM conversations c JOIN inboxes i ON i.id = c.inbox_id
        WHERE c.contact_id = $1
        ORDER BY c.created_at, c.id`,
      [id],
    );
  }

  async appendConversationEvents(sql: SqlExecutor, actor: RequestActor, conversationIds: string[], action: string, data: Record<string, unknown>): Promise<void> {
    if (conversationIds.length === 0) return;
    await sql.exec(
      `INSERT INTO conversation_events (conversation_id, actor_type, actor_id, action, data)
       SELECT unnest($1::uuid[]), $2, $3, $4, $5::jsonb`,
      [conversationIds, actor.role === 'system' ? 'system' : actor.role === 'bot' ? 'bot' : 'operator', actor.id, action, JSON.stringify(data)],
    );
  }

  async audit(sql: SqlExecutor, actor: RequestActor, action: string, contactId: string, data: Record<string, unknown>): Promise<void> {
    await sql.exec(`INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, data) VALUES ($1, $2, $3, 'contact', $4, $5::jsonb)`, [
      actor.id,
      actor.role,
      action,
      contactId,
      JSON.stringify(data),
    ]);
  }

  private async withIdentities(sql: SqlExecutor, rows: ContactRow[]): Promise<ContactRecord[]> {
    if (rows.length === 0) return [];
    const identities = await sql.rows<IdentityRow>(
      `SELECT id, contact_id AS "contactId", channel_type AS channel, external_id AS "externalId", display_name AS "displayName", username, email, phone,
              created_at AS "createdAt"
         FROM contact_identities WHERE contact_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      language: row.language,
      attributes: row.attributes,
      mergedIntoId: row.mergedIntoId,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      erasedAt: row.erasedAt ? row.erasedAt.toISOString() : null,
      identities: identities.filter((identity) => identity.contactId === row.id).map((identity) => toIdentity(identity)),
    }));
  }
}

function toIdentity(row: IdentityRow): ContactIdentityRecord {
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.externalId,
    displayName: row.displayName,
    username: row.username,
    email: row.email,
    phone: row.phone,
    createdAt: row.createdAt.toISOString(),
  };
}
