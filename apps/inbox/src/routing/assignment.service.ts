import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_ACTOR, type Actor, type ConversationEventRecord } from '../audit/conversation-event-record';
import { ConversationEventRepository } from '../audit/conversation-event.repository';
import { ConversationRepository } from '../conversations/conversation.repository';
import type { ConversationView } from '../conversations/conversation-view';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import type { OutboxRecord } from '../outbox/outbox-record';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { AssignmentRepository, type LockedOperator } from './assignment.repository';
import { ConversationRouter } from './conversation-router';
import type { OperatorLoad } from './routing.types';

/** rankings tried per conversation before giving up for this pass (someone else keeps filling the best operator) */
const MAX_ATTEMPTS = 4;
const QUEUE_PAGE = 500;
/** failed attempts in a row before re-checking that anyone has room at all */
const RECHECK_AFTER_FAILURES = 25;
/** higher-priority conversations looked at before a seat is given to a lower-priority one */
const AHEAD_LOOKUP = 20;
/** walks started over for a higher-priority conversation, per drain, before order gives way to progress */
const MAX_YIELD_RESTARTS = 5;
const SWEEP_LIMIT = 200;

export type AssignOutcome =
  | { kind: 'assigned'; operatorId: string }
  | { kind: 'not_queued' }
  | { kind: 'no_operator' }
  /** a higher-priority conversation waits for the same operator: the walk starts over from the head */
  | { kind: 'yielded' };

/**
 * Gives queued conversations to operators (DESIGN.md, "Routing and assignment") so that capacity
 * holds with any number of inbox instances: one transaction per assignment that locks the
 * conversation (SKIP LOCKED: another instance is on it), then ONE operator row (FOR UPDATE), counts
 * that operator's active conversations under the lock, and assigns with a conditional update
 * (`WHERE status = 'queued' AND assignee_id IS NULL`). Locks are always taken conversation first,
 * then a single operator, so assignments never deadlock each other.
 */
@Injectable()
export class AssignmentService {
  private readonly router = new ConversationRouter();

  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: AssignmentRepository,
    private readonly conversations: ConversationRepository,
    private readonly conversationEvents: ConversationEventRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  /**
   * Walks the queue in order and assigns what it can, `workers` assignments at a time (each in its
   * own transaction; the locks keep them from stepping on each other or on other instances).
   *
   * Queue order must hold when capacity frees during a walk: a conversation that found no operator
   * must not lose the freed seat to one behind it. So once the walk has met such a conversation and
   * `restartRequested` says routing was triggered again (an operator freed capacity, came online, …),
   * the walk stops and the caller starts over from the head of the queue.
   * @returns how many were assigned
   */
  async drainQueue(workers = 1, restartRequested: () => boolean = () => false): Promise<number> {
    let total = 0;
    let yieldRestarts = 0;
    for (;;) {
      if (!(await this.db.run((sql) => this.repository.anyFreeCapacity(sql.prepared())))) return total;
      const queue = await this.db.run((sql) => this.repository.queueHead(sql.prepared(), QUEUE_PAGE));
      if (queue.length === 0) return total;
      const keepOrder = yieldRestarts < MAX_YIELD_RESTARTS;
      let assigned = 0;
      let failuresInRow = 0;
      let next = 0;
      let exhausted = false;
      let skippedAhead = false;
      let abandoned = false;
      let yielded = false;
      const worker = async (): Promise<void> => {
        while (!exhausted && !abandoned && next < queue.length) {
          if (skippedAhead && restartRequested()) {
            abandoned = true;
            return;
          }
          const conversationId = queue[next++];
          const outcome = await this.assignFromQueue(conversationId, keepOrder);
          if (outcome.kind === 'assigned') {
            assigned += 1;
            failuresInRow = 0;
          } else if (outcome.kind === 'yielded') {
            yielded = abandoned = true;
          } else if (outcome.kind === 'no_operator') {
            skippedAhead = true;
            if (++failuresInRow >= RECHECK_AFTER_FAILURES) {
              failuresInRow = 0;
              if (!(await this.db.run((sql) => this.repository.anyFreeCapacity(sql.prepared())))) exhausted = true;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, workers) }, () => worker()));
      total += assigned;
      if (yielded) {
        yieldRestarts += 1;
        continue;
      }
      if (assigned === 0 || abandoned) return total;
    }
  }

  /**
   * Routes one queued conversation by its policy. Only operators online AND on shift are picked
   * (re-checked under the operator's row lock); a supervisor's manual assignment (conversations/)
   * may still pick anyone — the trail then records `onShift: false`.
   */
  async assignFromQueue(conversationId: string, keepOrder = true): Promise<AssignOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const outcome = await this.db.transaction(async (sql): Promise<AssignOutcome | 'retry'> => {
        const conversation = await this.repository.lockQueued(sql, conversationId);
        if (!conversation) return { kind: 'not_queued' };
        const ranked = this.router.rank(conversation, await this.repository.candidates(sql, conversation), conversation.policy);
        if (ranked.length === 0) return { kind: 'no_operator' };
        const best = ranked[0];
        const operator = await this.repository.lockOperator(sql, best.id);
        if (!operator || operator.deleted || operator.availability !== 'online' || !operator.onShift || operator.active >= operator.capacity) {
          return 'retry';
        }
        if (keepOrder && (await this.higherPriorityWaitsFor(sql, conversationId, best))) return { kind: 'yielded' };
        const sticky = conversation.preferredAssigneeId === operator.id;
        await this.assignLocked(sql, conversationId, operator, SYSTEM_ACTOR, sticky ? 'sticky' : conversation.policy);
        return { kind: 'assigned', operatorId: operator.id };
      });
      if (outcome !== 'retry') return outcome;
    }
    return { kind: 'no_operator' };
  }

  /**
   * Does a queued conversation of higher priority want this operator? Then the seat is theirs: a walk that
   * read the queue before it was queued, or another worker, must not give it to this one (queue order:
   * priority first).
   */
  private async higherPriorityWaitsFor(sql: SqlExecutor, conversationId: string, operator: OperatorLoad): Promise<boolean> {
    for (const ahead of await this.repository.queuedAhead(sql, conversationId, AHEAD_LOOKUP)) {
      if (this.router.rank(ahead, [operator], ahead.policy).length > 0) return true;
    }
    return false;
  }

  /**
   * Gives a conversation the caller has locked to an operator whose row the caller has locked and
   * checked; writes the audit trail and the events.
   */
  async assignLocked(sql: SqlExecutor, conversationId: string, operator: LockedOperator, actor: Actor, reason: string, extra: OutboxRecord[] = []): Promise<ConversationView> {
    const operatorId = operator.id;
    const view = (await this.conversations.lockView(sql, conversationId)) as ConversationView;
    const c = view.conversation;
    const from = { status: c.status, assigneeId: c.assigneeId };
    c.previousAssigneeId = c.assigneeId ?? c.previousAssigneeId;
    c.assigneeId = operatorId;
    c.assignedAt = new Date();
    c.status = c.status === 'queued' || c.status === 'bot' || c.status === 'resolved' ? 'open' : c.status;
    c.preferredAssigneeId = null;
    c.requeuedFromId = null;
    c.resolvedAt = null;
    c.updatedAt = new Date();
    c.version += 1;
    await this.conversations.save(sql, [c]);
    await this.repository.touchLastAssigned(sql, operatorId);
    await this.conversations.refreshNames(sql, view);
    const trail: ConversationEventRecord = {
      conversationId,
      actor,
      action: 'assigned',
      reason,
      // what the capacity check saw under the operator's row lock (audited by the concurrency test)
      data: {
        from,
        to: { status: c.status, assigneeId: operatorId },
        load: { active: operator.active, capacity: operator.capacity, availability: operator.availability, onShift: operator.onShift },
      },
    };
    await this.conversationEvents.append(sql, [trail]);
    await this.outbox.enqueue(sql, [
      ...extra,
      InboxEventFactory.conversationUpdated(view, { action: 'assigned', actor: actor.id, reason }),
      InboxEventFactory.notification({ operatorId, kind: 'assignment', conversationId, text: `Conversation assigned (${reason})` }),
    ]);
    return view;
  }

  /** assigned conversations left unanswered past the inbox's limit go back to the queue */
  async requeueUnanswered(): Promise<string[]> {
    return this.db.transaction(async (sql) => {
      const ids = await this.repository.lockUnanswered(sql, SWEEP_LIMIT);
      const views = await this.conversations.lockViews(sql, ids);
      const trail: ConversationEventRecord[] = [];
      const records: OutboxRecord[] = [];
      for (const view of views) {
        const c = view.conversation;
        const operatorId = c.assigneeId;
        c.previousAssigneeId = operatorId;
        c.requeuedFromId = operatorId;
        c.assigneeId = null;
        c.assignedAt = null;
        c.status = 'queued';
        c.updatedAt = new Date();
        c.version += 1;
        view.assigneeName = null;
        trail.push({ conversationId: c.id, actor: SYSTEM_ACTOR, action: 'unassigned', reason: 'unanswered_timeout', data: { from: operatorId } });
        records.push(InboxEventFactory.conversationUpdated(view, { action: 'unassigned', actor: null, reason: 'unanswered_timeout' }));
      }
      await this.conversations.save(sql, views.map((view) => view.conversation));
      await this.conversationEvents.append(sql, trail);
      await this.outbox.enqueue(sql, records);
      return ids;
    });
  }

  /** snoozed conversations whose time has come: back to their operator, or to the queue */
  async wakeSnoozed(): Promise<string[]> {
    return this.db.transaction(async (sql) => {
      const ids = await this.repository.lockDueSnoozed(sql, SWEEP_LIMIT);
      const views = await this.conversations.lockViews(sql, ids);
      const trail: ConversationEventRecord[] = [];
      const records: OutboxRecord[] = [];
      const queued: string[] = [];
      for (const view of views) {
        const c = view.conversation;
        c.status = c.assigneeId ? 'open' : 'queued';
        c.snoozedUntil = null;
        c.updatedAt = new Date();
        c.version += 1;
        if (c.status === 'queued') queued.push(c.id);
        trail.push({ conversationId: c.id, actor: SYSTEM_ACTOR, action: 'status_changed', reason: 'snooze_ended', data: { from: 'snoozed', to: c.status } });
        records.push(InboxEventFactory.conversationUpdated(view, { action: 'status_changed', actor: null, reason: 'snooze_ended' }));
      }
      await this.conversations.save(sql, views.map((view) => view.conversation));
      await this.conversationEvents.append(sql, trail);
      await this.outbox.enqueue(sql, records);
      return queued;
    });
  }
}
