import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, UnprocessableError } from '@switchboard/common/errors';
import { z } from 'zod';
import { ConversationQueriesService } from '../conversations/conversation-queries.service';
import { SearchQueryBuilder } from '../conversations/search-query.builder';
import { requireAdmin } from '../http/admin-guard';
import { requireStaffLead } from './staff-lead';
import { ActorScopeService } from '../http/actor-scope.service';
import { CursorCodec } from '../http/cursor.codec';
import type { RequestActor } from '../http/request-actor';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { ContactRecord } from './contact-record';
import { BlobErasureSweeper } from './blob-erasure.sweeper';
import { ContactRepository } from './contact.repository';
import type { ListContactsQuery, UpdateContactBody } from './dto/contact.schemas';

const cursorSchema = z.object({ id: z.string().uuid() });

/** conversations shown with a contact (the rest through GET /conversations?contactId=) */
const CONVERSATIONS_SHOWN = 200;

export const contactNotFound = (id: string): NotFoundError => NotFoundError.of('contact', id);

/**
 * Contacts: search, one contact with its identities and the conversations the caller may see, changes,
 * merge, erasure and export. Operators see the contacts that have a conversation in one of their
 * inboxes; anything else is answered as not found.
 */
@Injectable()
export class ContactsService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly contacts: ContactRepository,
    private readonly scope: ActorScopeService,
    private readonly conversations: ConversationQueriesService,
    private readonly blobErasure: BlobErasureSweeper,
  ) {}

  async list(actor: RequestActor, query: ListContactsQuery): Promise<{ items: ContactRecord[]; nextCursor: string | null }> {
    const after = CursorCodec.decode(cursorSchema, query.cursor);
    const text = query.q?.trim().toLowerCase() || null;
    const digits = text?.replace(/\D/g, '') ?? '';
    const inboxIds = await this.scope.inboxIds(actor);
    const rows = await this.db.run((sql) =>
      this.contacts.search(sql, {
        inboxIds,
        tsQuery: SearchQueryBuilder.toTsQuery(text ?? undefined),
        pattern: text ? `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
        digits: digits.length >= 3 ? `%${digits}%` : null,
        beforeId: after?.id ?? null,
        limit: query.limit + 1,
      }),
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? CursorCodec.encode({ id: last.id }) : null };
  }

  async get(actor: RequestActor, id: string): Promise<Record<string, unknown>> {
    const inboxIds = await this.scope.inboxIds(actor);
    const { contact, mergedFrom } = await this.db.run(async (sql) => {
      const found = await this.contacts.findVisible(sql, id, inboxIds);
      if (!found) throw contactNotFound(id);
      return { contact: found, mergedFrom: await this.contacts.mergedFrom(sql, id) };
    });
    const conversations = await this.conversations.list(actor, { view: 'all', contactId: id, limit: CONVERSATIONS_SHOWN });
    return { ...contact, mergedContactIds: mergedFrom, conversations: conversations.items, conversationsNextCursor: conversations.nextCursor };
  }

  async update(actor: RequestActor, id: string, body: UpdateContactBody): Promise<Record<string, unknown>> {
    const inboxIds = await this.scope.inboxIds(actor);
    await this.db.transaction(async (sql) => {
      const contact = await this.writable(sql, id, inboxIds);
      await this.contacts.update(sql, contact.id, body);
      await this.contacts.audit(sql, actor, 'contact.updated', id, { fields: Object.keys(body) });
    });
    return this.get(actor, id);
  }

  /** `otherId` is merged into `targetId`: identities and conversations move, both histories stay. */
  async merge(actor: RequestActor, targetId: string, otherId: string): Promise<Record<string, unknown>> {
    requireStaffLead(actor);
    if (targetId === otherId) {
      throw new UnprocessableError('A contact cannot be merged into itself', { code: 'CONTACT_MERGE_SELF', details: { otherContactId: otherId } });
    }
    await this.db.transaction(async (sql) => {
      for (const contactId of [targetId, otherId].sort()) await this.writable(sql, contactId, null);
      const moved = await this.contacts.merge(sql, targetId, otherId);
      await this.contacts.appendConversationEvents(sql, actor, moved.conversationIds, 'contact_merged', { fromContactId: otherId, intoContactId: targetId });
      await this.contacts.audit(sql, actor, 'contact.merged', targetId, {
        otherContactId: otherId,
        identities: moved.identities,
        conversations: moved.conversationIds.length,
      });
    });
    return this.get(actor, targetId);
  }

  /** erasure (admins only, as the public API): personal data removed, conversation skeletons kept for statistics, audit-logged */
  async erase(actor: RequestActor, id: string): Promise<{ id: string; erasedAt: string; conversations: number; messages: number; identities: number; attachments: number }> {
    requireAdmin(actor);
    const result = await this.db.transaction(async (sql) => {
      const contact = await this.contacts.findVisible(sql, id, null, true);
      if (!contact) throw contactNotFound(id);
      if (contact.mergedIntoId) {
        throw new UnprocessableError('This contact was merged; erase the contact it was merged into', {
          code: 'CONTACT_MERGED',
          details: { mergedIntoId: contact.mergedIntoId },
        });
      }
      const erased = await this.contacts.erase(sql, id);
      await this.contacts.appendConversationEvents(sql, actor, erased.conversationIds, 'contact_erased', { contactId: id });
      await this.contacts.audit(sql, actor, 'contact.erased', id, {
        conversations: erased.conversationIds.length,
        messages: erased.messages,
        identities: erased.identities,
        attachments: erased.attachments,
      });
      const after = await this.contacts.findVisible(sql, id, null);
      return {
        id,
        erasedAt: after?.erasedAt ?? new Date().toISOString(),
        conversations: erased.conversationIds.length,
        messages: erased.messages,
        identities: erased.identities,
        attachments: erased.attachments,
      };
    });
    // the files of the attachments, queued in the transaction, are deleted now that it committed
    if (result.attachments > 0) this.blobErasure.wake();
    return result;
  }

  /** everything stored about the contact (and the contacts merged into it), audit-logged */
  async export(actor: RequestActor, id: string): Promise<Record<string, unknown>> {
    requireStaffLead(actor);
    return this.db.transaction(async (sql) => {
      const contact = await this.contacts.findVisible(sql, id, null);
      if (!contact) throw contactNotFound(id);
      const mergedIds = await this.contacts.mergedFrom(sql, id);
      const merged: ContactRecord[] = [];
      for (const mergedId of mergedIds) {
        const record = await this.contacts.findVisible(sql, mergedId, null);
        if (record) merged.push(record);
      }
      const conversations = await this.contacts.exportConversations(sql, id);
      await this.contacts.audit(sql, actor, 'contact.exported', id, { conversations: conversations.length });
      return { exportedAt: new Date().toISOString(), contact, mergedContacts: merged, conversations };
    });
  }

  private async writable(sql: SqlExecutor, id: string, inboxIds: string[] | null): Promise<ContactRecord> {
    const contact = await this.contacts.findVisible(sql, id, inboxIds, true);
    if (!contact) throw contactNotFound(id);
    if (contact.erasedAt) throw new UnprocessableError('This contact was erased', { code: 'CONTACT_ERASED', details: { id } });
    if (contact.mergedIntoId) {
      throw new UnprocessableError('This contact was merged into another', { code: 'CONTACT_MERGED', details: { id, mergedIntoId: contact.mergedIntoId } });
    }
    return contact;
  }
}
