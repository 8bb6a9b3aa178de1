import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@switchboard/common/errors';
import { z } from 'zod';
import { ConversationEventRepository, type ConversationEventRow } from '../audit/conversation-event.repository';
import { ActorScopeService } from '../http/actor-scope.service';
import { CursorCodec } from '../http/cursor.codec';
import type { RequestActor } from '../http/request-actor';
import { MessageRepository } from '../messages/message.repository';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ConversationQueryRepository, type ConversationFilter } from './conversation-query.repository';
import { ConversationSnapshotMapper } from './conversation-snapshot.mapper';
import type { ConversationView } from './conversation-view';
import { ConversationRepository } from './conversation.repository';
import type { ListConversationsQuery } from './dto/conversation.schemas';
import { SearchQueryBuilder } from './search-query.builder';

const listCursorSchema = z.object({ t: z.string().datetime({ offset: true }), id: z.string().uuid() });

export const conversationNotFound = (id: string): NotFoundError => NotFoundError.of('conversation', id);

/** Reads: the conversation list (views, filters, search, cursor), one conversation, its messages and audit trail. */
@Injectable()
export class ConversationQueriesService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly queries: ConversationQueryRepository,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly events: ConversationEventRepository,
    private readonly scope: ActorScopeService,
  ) {}

  async list(actor: RequestActor, query: ListConversationsQuery): Promise<{ items: unknown[]; nextCursor: string | null }> {
    const after = CursorCodec.decode(listCursorSchema, query.cursor);
    const filter: ConversationFilter = {
      inboxIds: await this.scope.inboxIds(actor),
      statuses: query.status,
      inboxId: query.inboxId,
      channel: query.channel,
      label: query.label,
      type: query.type,
      contactId: query.contactId,
      tsQuery: SearchQueryBuilder.toTsQuery(query.q) ?? undefined,
      text: query.q?.trim(),
      after: after ? { lastMessageAt: after.t, id: after.id } : undefined,
      limit: query.limit + 1,
    };
    if (query.view === 'mine') filter.assigneeId = actor.id ?? '00000000-0000-0000-0000-000000000000';
    if (query.view === 'unassigned') filter.unassigned = true;
    if (query.view === 'team') filter.teamIds = await this.scope.teamIds(actor);
    const views = await this.db.run((sql) => this.queries.list(sql, filter));
    const page = views.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      views.length > query.limit && last ? CursorCodec.encode({ t: last.conversation.lastMessageAt.toISOString(), id: last.conversation.id }) : null;
    return { items: page.map((view) => ConversationSnapshotMapper.conversation(view)), nextCursor };
  }

  async get(actor: RequestActor, id: string): Promise<Record<string, unknown>> {
    const view = await this.visible(actor, id);
    return this.db.run((sql) => this.detail(sql, view));
  }

  /** the conversation as GET /conversations/{id} answers it: the detail with the latest handoff card */
  async detail(sql: SqlExecutor, view: ConversationView): Promise<Record<string, unknown>> {
    const handoff = await this.queries.latestHandoff(sql, view.conversation.id);
    return {
      ...ConversationSnapshotMapper.conversationDetail(view),
      handoff: handoff ? { ...handoff, createdAt: handoff.createdAt.toISOString() } : null,
    };
  }

  async messagesOf(actor: RequestActor, id: string, before: string | undefined, limit: number): Promise<unknown[]> {
    await this.visible(actor, id);
    return this.db.run(async (sql) => {
      const anchor = before ? await this.messages.byId(sql, before) : null;
      if (before && (!anchor || anchor.conversationId !== id)) throw NotFoundError.of('message', before);
      const page = await this.messages.page(sql, id, anchor ?? null, limit, actor.role !== 'bot');
      return page.map((message) => ConversationSnapshotMapper.message(message));
    });
  }

  async eventsOf(actor: RequestActor, id: string, cursor: string | undefined, limit: number): Promise<{ items: ConversationEventRow[]; nextCursor: string | null }> {
    await this.visible(actor, id);
    const rows = await this.db.run((sql) => this.events.list(sql, id, cursor ?? null, limit + 1));
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
  }

  /** the conversation if the actor may see it, else CONVERSATION_NOT_FOUND */
  async visible(actor: RequestActor, id: string): Promise<ConversationView> {
    const view = await this.db.run((sql) => this.conversations.getView(sql, id));
    if (!view) throw conversationNotFound(id);
    await this.scope.assertInbox(actor, view.conversation.inboxId, () => conversationNotFound(id));
    return view;
  }
}
