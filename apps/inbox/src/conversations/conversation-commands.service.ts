import { Inject, Injectable } from '@nestjs/common';
import { ForbiddenError, NotFoundError, UnprocessableError, ValidationFailedError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import type { ConversationEventRecord } from '../audit/conversation-event-record';
import { ConversationEventRepository } from '../audit/conversation-event.repository';
import { BotWebhookQueue } from '../bots/bot-webhook-queue.service';
import { ActorScopeService } from '../http/actor-scope.service';
import { auditActor, type RequestActor } from '../http/request-actor';
import { MessageRepository } from '../messages/message.repository';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import type { OutboxRecord } from '../outbox/outbox-record';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { MessageEntity } from '../persistence/entities/message.entity';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { AssignmentRepository, type LockedOperator } from '../routing/assignment.repository';
import { AssignmentService } from '../routing/assignment.service';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import { ACTIVE_STATUSES, ConversationLifecycle } from './conversation-lifecycle';
import { conversationNotFound } from './conversation-queries.service';
import { ConversationHandoff } from './conversation-handoff';
import { ConversationSnapshotMapper } from './conversation-snapshot.mapper';
import type { ConversationView } from './conversation-view';
import { ConversationRepository } from './conversation.repository';
import type { AssignBody, HandbackBody, HandoffBody, StatusBody, TransferBody, UpdateConversationBody } from './dto/conversation.schemas';

interface CommandResult {
  view: ConversationView;
  /** routing may have work after the commit */
  kick: boolean;
}

/**
 * Changes operators and bots make to a conversation: status, fields, assignment, transfer (with the
 * summary kept as a pinned note), merge, bot hand-off and hand-back. One transaction each, with the conversation
 * locked; every change lands in conversation_events (actor, reason) and the outbox.
 */
@Injectable()
export class ConversationCommandsService {
  private readonly lifecycle = new ConversationLifecycle();

  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly conversationEvents: ConversationEventRepository,
    private readonly outbox: OutboxRepository,
    private readonly assignments: AssignmentRepository,
    private readonly assignment: AssignmentService,
    private readonly scope: ActorScopeService,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
    private readonly handoffs: ConversationHandoff,
    private readonly botWebhooks: BotWebhookQueue,
  ) {}

  async setStatus(actor: RequestActor, id: string, body: StatusBody): Promise<unknown> {
    return this.run(actor, id, async (sql, view) => {
      const c = view.conversation;
      const from = c.status;
      const assigneeBefore = c.assigneeId;
      const now = new Date();
      let reason = `set_${body.status}`;
      if (body.status === 'resolved') {
        this.lifecycle.resolve(c, now);
      } else if (body.status === 'snoozed') {
        const until = new Date(body.until as string);
        if (until.getTime() <= now.getTime()) throw new ValidationFailedError([{ path: 'until', message: 'must be in the future' }]);
        c.status = 'snoozed';
        c.snoozedUntil = until;
      } else if (body.status === 'open') {
        if (c.assigneeId) {
          c.status = 'open';
        } else {
          c.status = 'queued';
          reason = from === 'resolved' ? 'reopened' : 'queued';
          c.waitingSince ??= now;
          c.resolvedAt = null;
        }
        c.snoozedUntil = null;
      } else {
        c.status = 'pending';
        c.snoozedUntil = null;
      }
      this.touch(view);
      await this.conversations.save(sql, [c]);
      await this.record(sql, view, actor, 'status_changed', reason, { from, to: c.status, until: body.until ?? null, assigneeId: assigneeBefore });
      return { view, kick: c.status === 'queued' || body.status === 'resolved' };
    });
  }

  async update(actor: RequestActor, id: string, body: UpdateConversationBody): Promise<unknown> {
    return this.run(actor, id, async (sql, view) => {
      const c = view.conversation;
      const changes: Record<string, unknown> = {};
      if (body.priority !== undefined) c.priority = changes.priority = body.priority;
      if (body.type !== undefined) c.type = changes.type = body.type;
      if (body.labels !== undefined) c.labels = changes.labels = [...new Set(body.labels)];
      if (body.attributes !== undefined) c.attributes = changes.attributes = { ...c.attributes, ...body.attributes };
      if (body.requiredSkills !== undefined) c.requiredSkills = changes.requiredSkills = [...new Set(body.requiredSkills)];
      if (body.language !== undefined) c.language = changes.language = body.language;
      this.touch(view);
      await this.conversations.save(sql, [c]);
      await this.record(sql, view, actor, 'updated', null, changes);
      return { view, kick: c.status === 'queued' && (body.requiredSkills !== undefined || body.language !== undefined || body.priority !== undefined) };
    });
  }

  async assign(actor: RequestActor, id: string, body: AssignBody): Promise<unknown> {
    return this.run(actor, id, async (sql, view) => {
      const c = view.conversation;
      if (body.teamId !== undefined && body.teamId !== c.teamId) {
        if (body.teamId !== null) await this.requireTeam(sql, body.teamId);
        const fromTeam = c.teamId;
        c.teamId = body.teamId;
        this.touch(view);
        await this.conversations.save(sql, [c]);
        await this.conversationEvents.append(sql, [
          { conversationId: id, actor: auditActor(actor), action: 'team_changed', reason: 'assign', data: { from: fromTeam, to: body.teamId } },
        ]);
      }
      if (body.operatorId) {
        const operator = await this.lockAvailableCapacity(sql, body.operatorId, c.assigneeId, body.force);
        const assigned = await this.assignment.assignLocked(sql, id, operator, auditActor(actor), 'manual');
        return { view: assigned, kick: false };
      }
      if (body.operatorId === null && c.assigneeId) {
        const from = c.assigneeId;
        c.previousAssigneeId = from;
        c.assigneeId = null;
        c.assignedAt = null;
        if ((ACTIVE_STATUSES as string[]).includes(c.status)) c.status = 'queued';
        this.touch(view);
        await this.conversations.save(sql, [c]);
        await this.conversations.refreshNames(sql, view);
        await this.record(sql, view, actor, 'unassigned', 'manual', { from });
        return { view, kick: true };
      }
      await this.conversations.refreshNames(sql, view);
      if (!c.assigneeId && c.status !== 'resolved' && c.status !== 'bot') {
        c.status = 'queued';
        await this.conversations.save(sql, [c]);
      }
      await this.outbox.enqueue(sql, [InboxEventFactory.conversationUpdated(view, { action: 'team_changed', actor: actor.id, reason: 'assign' })]);
      return { view, kick: c.status === 'queued' };
    });
  }

  /** to an operator or a team, with a summary the next person reads first (a pinned note) */
  async transfer(actor: RequestActor, id: string, body: TransferBody): Promise<unknown> {
    return this.run(actor, id, async (sql, view) => {
      const c = view.conversation;
      const from = { assigneeId: c.assigneeId, teamId: c.teamId };
      const note = this.pinnedNote(view, actor, body.summary);
      await this.messages.insert(sql, [note]);
      const records: OutboxRecord[] = [InboxEventFactory.messageCreated(view, note)];
      if (body.teamId) {
        await this.requireTeam(sql, body.teamId);
        c.teamId = body.teamId;
      }
      const trail: ConversationEventRecord = {
        conversationId: id,
        actor: auditActor(actor),
        action: 'transferred',
        reason: body.summary,
        data: { from, to: { operatorId: body.operatorId ?? null, teamId: body.teamId ?? null }, noteId: note.id },
      };
      if (body.operatorId) {
        await this.conversations.save(sql, [c]);
        const operator = await this.lockAvailableCapacity(sql, body.operatorId, c.assigneeId, body.force);
        await this.conversationEvents.append(sql, [trail]);
        const assigned = await this.assignment.assignLocked(sql, id, operator, auditActor(actor), 'transfer', [
          ...records,
          InboxEventFactory.notification({ operatorId: body.operatorId, kind: 'transfer', conversationId: id, messageId: note.id, text: body.summary }),
        ]);
        return { view: assigned, kick: true };
      }
      c.previousAssigneeId = c.assigneeId ?? c.previousAssigneeId;
      c.assigneeId = null;
      c.assignedAt = null;
      if (c.status !== 'resolved') c.status = 'queued';
      c.waitingSince ??= new Date();
      this.touch(view);
      await this.conversations.save(sql, [c]);
      await this.conversations.refreshNames(sql, view);
      await this.conversationEvents.append(sql, [trail]);
      await this.outbox.enqueue(sql, [...records, InboxEventFactory.conversationUpdated(view, { action: 'transferred', actor: actor.id, reason: 'transfer' })]);
      return { view, kick: true };
    });
  }

  async merge(actor: RequestActor, id: string, intoId: string): Promise<unknown> {
    if (id === intoId) throw new ValidationFailedError([{ path: 'intoConversationId', message: 'cannot merge a conversation into itself' }]);
    let result: CommandResult | undefined;
    await this.db.transaction(async (sql) => {
      const views = await this.conversations.lockViews(sql, [id, intoId]);
      const source = views.find((v) => v.conversation.id === id);
      const target = views.find((v) => v.conversation.id === intoId);
      if (!source) throw conversationNotFound(id);
      if (!target) throw conversationNotFound(intoId);
      await this.scope.assertInbox(actor, source.conversation.inboxId, () => conversationNotFound(id), sql);
      await this.scope.assertInbox(actor, target.conversation.inboxId, () => conversationNotFound(intoId), sql);
      if (source.conversation.mergedIntoId || target.conversation.mergedIntoId) {
        throw new UnprocessableError('A merged conversation cannot be merged again', { code: 'CONVERSATION_MERGED' });
      }
      const moved = await this.messages.moveToConversation(sql, id, intoId);
      await sql.exec(
        `INSERT INTO conversation_participants (conversation_id, address, source)
         SELECT $2, address, 'merge' FROM conversation_participants WHERE conversation_id = $1 ON CONFLICT DO NOTHING`,
        [id, intoId],
      );
      const now = new Date();
      this.lifecycle.resolve(source.conversation, now);
      source.conversation.mergedIntoId = intoId;
      const t = target.conversation;
      if (source.conversation.lastMessageAt.getTime() > t.lastMessageAt.getTime()) {
        t.lastMessageAt = source.conversation.lastMessageAt;
        t.lastMessagePreview = source.conversation.lastMessagePreview;
      }
      this.touch(target);
      await this.conversations.save(sql, [source.conversation, t]);
      const who = auditActor(actor);
      await this.conversationEvents.append(sql, [
        { conversationId: id, actor: who, action: 'merged', reason: 'merged_into', data: { into: intoId, messages: moved } },
        { conversationId: intoId, actor: who, action: 'merged', reason: 'merged_from', data: { from: id, messages: moved } },
      ]);
      await this.outbox.enqueue(sql, [
        InboxEventFactory.conversationUpdated(source, { action: 'merged', actor: actor.id, reason: 'merged_into' }),
        InboxEventFactory.conversationUpdated(target, { action: 'merged', actor: actor.id, reason: 'merged_from' }),
      ]);
      result = { view: target, kick: true };
    });
    this.routing.capacityChanged(null);
    return ConversationSnapshotMapper.conversation((result as CommandResult).view);
  }

  /** a bot hands the conversation to humans with a structured card */
  async handoff(actor: RequestActor, id: string, body: HandoffBody): Promise<unknown> {
    return this.run(actor, id, async (sql, view) => ({ view, kick: await this.handoffs.apply(sql, view, actor, body) }));
  }

  /**
   * An operator gives the conversation back to the inbox's bot: status bot, the assignee's capacity
   * freed, the bot told (conversation.handed_back on its webhook, then the customer's next messages).
   */
  async handback(actor: RequestActor, id: string, body: HandbackBody): Promise<unknown> {
    if (actor.role === 'bot') throw new ForbiddenError('A bot cannot hand a conversation back to itself', { code: 'FORBIDDEN_ROLE' });
    return this.run(actor, id, async (sql, view) => {
      const c = view.conversation;
      const bot = await this.botWebhooks.inboxBot(sql, c.inboxId);
      if (!bot) throw new UnprocessableError('The inbox of this conversation has no bot', { code: 'INBOX_HAS_NO_BOT' });
      if (c.status === 'bot') throw new UnprocessableError('The conversation is already with the bot', { code: 'CONVERSATION_WITH_BOT' });
      const from = { status: c.status, assigneeId: c.assigneeId };
      c.previousAssigneeId = c.assigneeId ?? c.previousAssigneeId;
      c.assigneeId = null;
      c.assignedAt = null;
      c.status = 'bot';
      c.snoozedUntil = null;
      c.resolvedAt = null;
      c.waitingSince = null;
      c.firstResponseDueAt = null;
      this.touch(view);
      await this.conversations.save(sql, [c]);
      await this.conversations.refreshNames(sql, view);
      await this.record(sql, view, actor, 'handed_back', 'handback', { from, to: 'bot', botId: bot.botId, note: body.note ?? null });
      await this.botWebhooks.enqueue(sql, bot, `handback:${newId()}`, 'conversation.handed_back', view, null);
      return { view, kick: true };
    });
  }

  private async run(actor: RequestActor, id: string, fn: (sql: SqlExecutor, view: ConversationView) => Promise<CommandResult>): Promise<unknown> {
    const result = await this.db.transaction(async (sql) => {
      const view = await this.conversations.lockView(sql, id);
      if (!view) throw conversationNotFound(id);
      await this.scope.assertInbox(actor, view.conversation.inboxId, () => conversationNotFound(id), sql);
      if (view.conversation.mergedIntoId) {
        throw new UnprocessableError('This conversation was merged into another one', {
          code: 'CONVERSATION_MERGED',
          details: { intoConversationId: view.conversation.mergedIntoId },
        });
      }
      return fn(sql, view);
    });
    if (result.kick) this.routing.capacityChanged(null);
    return ConversationSnapshotMapper.conversation(result.view);
  }

  /** locks the operator and checks their room (422 OPERATOR_AT_CAPACITY unless forced) */
  private async lockAvailableCapacity(sql: SqlExecutor, operatorId: string, currentAssignee: string | null, force: boolean): Promise<LockedOperator> {
    const operator = await this.assignments.lockOperator(sql, operatorId);
    if (!operator || operator.deleted) throw NotFoundError.of('operator', operatorId);
    if (!force && operator.id !== currentAssignee && operator.active >= operator.capacity) {
      throw new UnprocessableError(`${operator.name} is at capacity (${operator.active}/${operator.capacity})`, {
        code: 'OPERATOR_AT_CAPACITY',
        details: { operatorId, active: operator.active, capacity: operator.capacity },
      });
    }
    return operator;
  }

  private async requireTeam(sql: SqlExecutor, teamId: string): Promise<void> {
    const team = await sql.one<{ id: string }>(`SELECT id FROM teams WHERE id = $1 AND deleted_at IS NULL`, [teamId]);
    if (!team) throw NotFoundError.of('team', teamId);
  }

  private async record(sql: SqlExecutor, view: ConversationView, actor: RequestActor, action: string, reason: string | null, data: Record<string, unknown>): Promise<void> {
    await this.conversationEvents.append(sql, [{ conversationId: view.conversation.id, actor: auditActor(actor), action, reason, data }]);
    await this.outbox.enqueue(sql, [InboxEventFactory.conversationUpdated(view, { action, actor: actor.id, reason })]);
  }

  private touch(view: ConversationView): void {
    view.conversation.updatedAt = new Date();
    view.conversation.version += 1;
  }

  private pinnedNote(view: ConversationView, actor: RequestActor, text: string): MessageEntity {
    return {
      id: newId(),
      conversationId: view.conversation.id,
      inboxId: view.conversation.inboxId,
      direction: 'outbound',
      senderType: actor.role === 'bot' ? 'bot' : actor.role === 'system' ? 'system' : 'operator',
      senderId: actor.id,
      kind: 'note',
      subject: null,
      text,
      html: null,
      quotedText: null,
      attachments: [],
      refusedAttachments: [],
      externalId: null,
      inReplyTo: null,
      references: [],
      deliveryStatus: 'sent',
      failureCode: null,
      failureReason: null,
      threadingReason: null,
      autoReply: false,
      pinned: true,
      channelMetadata: null,
      sentAt: null,
      editedAt: null,
      createdAt: new Date(),
    };
  }
}
