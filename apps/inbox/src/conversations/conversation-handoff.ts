import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import { ConversationEventRepository } from '../audit/conversation-event.repository';
import { auditActor, type RequestActor } from '../http/request-actor';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { ConversationView } from './conversation-view';
import { ConversationRepository } from './conversation.repository';
import type { HandoffBody } from './dto/conversation.schemas';

/** Why the system handed a conversation to humans without the bot asking. */
export type AutomaticHandoffReason = 'bot_webhook_failed' | 'bot_timeout' | 'customer_requested_human';

/** The system itself as a caller (automatic handoffs). */
export const SYSTEM_REQUEST_ACTOR: RequestActor = { id: null, role: 'system', name: null };

/**
 * Handing a conversation from its bot to humans, in one place for the bot's own request and for the
 * automatic ones: the structured card (a `handoffs` row), language / priority / team for routing,
 * status bot → queued, the audit trail and conversation.updated. Runs inside the caller's transaction
 * with the conversation locked; the caller kicks routing after the commit when it returns true.
 */
@Injectable()
export class ConversationHandoff {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly conversationEvents: ConversationEventRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /** @returns true when the conversation is now queued (routing has work) */
  async apply(sql: SqlExecutor, view: ConversationView, actor: RequestActor, body: HandoffBody): Promise<boolean> {
    const c = view.conversation;
    if (body.teamId) {
      const team = await sql.one<{ id: string }>(`SELECT id FROM teams WHERE id = $1 AND deleted_at IS NULL`, [body.teamId]);
      if (!team) throw NotFoundError.of('team', body.teamId);
    }
    await sql.exec(
      `INSERT INTO handoffs (id, conversation_id, bot_id, summary, intent, collected, reason, language, priority, team_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [newId(), c.id, actor.role === 'bot' ? actor.id : null, body.summary, body.intent ?? null, JSON.stringify(body.collected), body.reason ?? null, body.language ?? null, body.priority ?? null, body.teamId ?? null],
    );
    const from = c.status;
    if (body.priority !== undefined) c.priority = body.priority;
    if (body.teamId) c.teamId = body.teamId;
    if (body.language) c.language = body.language;
    if (c.status === 'bot' || (c.status === 'resolved' && !c.assigneeId)) c.status = 'queued';
    c.waitingSince ??= new Date();
    c.updatedAt = new Date();
    c.version += 1;
    await this.conversations.save(sql, [c]);
    await this.conversations.refreshNames(sql, view);
    const reason = body.reason ?? 'bot_handoff';
    await this.conversationEvents.append(sql, [
      { conversationId: c.id, actor: auditActor(actor), action: 'handoff', reason, data: { from, to: c.status, intent: body.intent ?? null } },
    ]);
    await this.outbox.enqueue(sql, [InboxEventFactory.conversationUpdated(view, { action: 'handoff', actor: actor.id, reason })]);
    return c.status === 'queued';
  }

  /**
   * The system hands over a conversation that is still with its bot (locks it and re-checks first).
   * @returns false when it is no longer with the bot (nothing done), true when handed off
   */
  async automatic(sql: SqlExecutor, conversationId: string, reason: AutomaticHandoffReason, summary: string): Promise<boolean> {
    const view = await this.conversations.lockView(sql, conversationId);
    if (!view || view.conversation.status !== 'bot' || view.conversation.mergedIntoId) return false;
    await this.apply(sql, view, SYSTEM_REQUEST_ACTOR, { summary, reason, collected: {} });
    return true;
  }
}
