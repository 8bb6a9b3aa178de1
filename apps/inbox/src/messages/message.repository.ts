import { Injectable } from '@nestjs/common';
import type { MessageEntity } from '../persistence/entities/message.entity';
import { MESSAGE_COLUMNS } from '../persistence/message-columns';
import { castList, columnList, fromRow, selectList, unnestRows } from '../persistence/row-mapping';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { MentionCandidate } from './mention.parser';

export interface RecipientIdentity {
  externalId: string;
  displayName: string | null;
  email: string | null;
}

/** SQL of messages outside the ingestion hot path. */
@Injectable()
export class MessageRepository {
  async insert(sql: SqlExecutor, messages: readonly MessageEntity[]): Promise<void> {
    if (messages.length === 0) return;
    const rows = unnestRows(MESSAGE_COLUMNS, messages, 'r');
    await sql.exec(`INSERT INTO messages (${columnList(MESSAGE_COLUMNS)}) SELECT ${castList(MESSAGE_COLUMNS, 'r')} FROM ${rows.from}`, rows.params);
  }

  async byId(sql: SqlExecutor, id: string): Promise<MessageEntity | undefined> {
    const row = await sql.one<Record<string, unknown>>(`SELECT ${selectList(MESSAGE_COLUMNS, 'm')} FROM messages m WHERE m.id = $1`, [id]);
    return row ? fromRow(MESSAGE_COLUMNS, row) : undefined;
  }

  /** messages of the conversation written after `after` by someone other than `senderId` (the collision check) */
  async writtenSince(sql: SqlExecutor, conversationId: string, after: MessageEntity, senderId: string | null): Promise<MessageEntity[]> {
    const rows = await sql.rows<Record<string, unknown>>(
      `SELECT ${selectList(MESSAGE_COLUMNS, 'm')} FROM messages m
       WHERE m.conversation_id = $1 AND (m.created_at, m.id) > ($2::timestamptz, $3::uuid)
         AND m.kind <> 'event' AND ($4::uuid IS NULL OR m.sender_id IS DISTINCT FROM $4::uuid)
       ORDER BY m.created_at, m.id LIMIT 50`,
      [conversationId, after.createdAt, after.id, senderId],
    );
    return rows.map((row) => fromRow(MESSAGE_COLUMNS, row));
  }

  /** a page of the conversation, oldest first: the `limit` messages before `before` (or the latest) */
  async page(sql: SqlExecutor, conversationId: string, before: MessageEntity | null, limit: number, withNotes: boolean): Promise<MessageEntity[]> {
    const rows = await sql.rows<Record<string, unknown>>(
      `SELECT * FROM (
         SELECT ${selectList(MESSAGE_COLUMNS, 'm')} FROM messages m
         WHERE m.conversation_id = $1
           AND ($2::timestamptz IS NULL OR (m.created_at, m.id) < ($2::timestamptz, $3::uuid))
           AND ($5 OR m.kind <> 'note')
         ORDER BY m.created_at DESC, m.id DESC LIMIT $4
       ) page ORDER BY "createdAt", id`,
      [conversationId, before?.createdAt ?? null, before?.id ?? null, limit, withNotes],
    );
    return rows.map((row) => fromRow(MESSAGE_COLUMNS, row));
  }

  /** the latest customer message (email: In-Reply-To / References of the reply) */
  async lastInbound(sql: SqlExecutor, conversationId: string): Promise<{ externalId: string | null; references: string[] } | undefined> {
    return sql.one<{ externalId: string | null; references: string[] }>(
      `SELECT external_id AS "externalId", "references" FROM messages
       WHERE conversation_id = $1 AND direction = 'inbound' AND kind = 'message'
       ORDER BY created_at DESC, id DESC LIMIT 1`,
      [conversationId],
    );
  }

  /** the contact's identity on a channel (the newest one), where outbound messages go */
  async recipient(sql: SqlExecutor, contactId: string, channelType: string): Promise<RecipientIdentity | undefined> {
    return sql.one<RecipientIdentity>(
      `SELECT ci.external_id AS "externalId", coalesce(ci.display_name, c.name) AS "displayName", coalesce(ci.email, c.email) AS email
       FROM contact_identities ci JOIN contacts c ON c.id = ci.contact_id
       WHERE ci.contact_id = $1 AND ci.channel_type = $2
       ORDER BY ci.created_at DESC LIMIT 1`,
      [contactId, channelType],
    );
  }

  /** the contact behind an identity on a channel (an address or a chat id), if anyone has it */
  async identityOn(sql: SqlExecutor, channelType: string, externalId: string): Promise<{ contactId: string; contactName: string | null } | undefined> {
    return sql.one<{ contactId: string; contactName: string | null }>(
      `SELECT c.id AS "contactId", c.name AS "contactName"
       FROM contact_identities ci JOIN contacts c ON c.id = ci.contact_id
       WHERE ci.channel_type = $1 AND ci.external_id = $2 AND c.erased_at IS NULL`,
      [channelType, externalId],
    );
  }

  /**
   * the thread the contact last wrote to the inbox in (a Telegram chat id, say), preferring their
   * direct thread (the key that is their own id on the channel); undefined when they never wrote to it
   */
  async lastThreadKeyOf(sql: SqlExecutor, contactId: string, inboxId: string, ownExternalId: string): Promise<string | undefined> {
    const row = await sql.one<{ threadKey: string }>(
      `SELECT thread_key AS "threadKey" FROM conversations
       WHERE inbox_id = $1 AND contact_id = $2 AND last_inbound_at IS NOT NULL
       ORDER BY (thread_key = $3) DESC, last_inbound_at DESC, id DESC LIMIT 1`,
      [inboxId, contactId, ownExternalId],
    );
    return row?.threadKey;
  }

  /**
   * operators who may see a conversation of the inbox, whom its notes may mention: members of the
   * inbox (directly or through its team), admins and supervisors, and the conversation's assignee
   */
  async mentionCandidates(sql: SqlExecutor, inboxId: string, assigneeId: string | null): Promise<MentionCandidate[]> {
    return sql.rows<MentionCandidate>(
      `SELECT o.id, o.name, o.email FROM operators o
       WHERE o.deleted_at IS NULL
         AND (o.role IN ('admin', 'supervisor')
           OR o.id = $2::uuid
           OR EXISTS (SELECT 1 FROM inbox_members m WHERE m.inbox_id = $1 AND m.operator_id = o.id)
           OR EXISTS (SELECT 1 FROM inboxes i JOIN team_members tm ON tm.team_id = i.default_team_id
                      WHERE i.id = $1 AND i.deleted_at IS NULL AND tm.operator_id = o.id))`,
      [inboxId, assigneeId],
    );
  }

  async moveToConversation(sql: SqlExecutor, fromConversationId: string, toConversationId: string): Promise<number> {
    return sql.exec(`UPDATE messages SET conversation_id = $2 WHERE conversation_id = $1`, [fromConversationId, toConversationId]);
  }
}
