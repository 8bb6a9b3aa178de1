import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationFailedError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import { z } from 'zod';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { ConversationEventRepository } from '../audit/conversation-event.repository';
import { PasswordHasher } from '../auth-store/password-hasher';
import { ConversationRepository } from '../conversations/conversation.repository';
import { CursorCodec } from '../http/cursor.codec';
import { auditActor, type RequestActor } from '../http/request-actor';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { Availability } from '../persistence/entities/operator.entity';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import type { CreateOperatorBody, Shift, UpdateOperatorBody } from './dto/operator.schemas';
import { OperatorRepository, type OperatorRow } from './operator.repository';

const cursorSchema = z.object({ n: z.string(), id: z.string().uuid() });

/** Operators' administration (admins), their availability (themselves), and what routing must hear about it. */
@Injectable()
export class OperatorsService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: OperatorRepository,
    private readonly audit: AuditLogRepository,
    private readonly conversations: ConversationRepository,
    private readonly conversationEvents: ConversationEventRepository,
    private readonly outbox: OutboxRepository,
    private readonly hasher: PasswordHasher,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
  ) {}

  async list(q: string | undefined, cursor: string | undefined, limit: number): Promise<{ items: unknown[]; nextCursor: string | null }> {
    const after = CursorCodec.decode(cursorSchema, cursor);
    const rows = await this.db.run((sql) => this.repository.list(sql, q, after ? { name: after.n, id: after.id } : undefined, limit + 1));
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(present), nextCursor: rows.length > limit && last ? CursorCodec.encode({ n: last.name, id: last.id }) : null };
  }

  async get(id: string): Promise<unknown> {
    const row = await this.db.run((sql) => this.repository.get(sql, id));
    if (!row) throw NotFoundError.of('operator', id);
    return present(row);
  }

  async create(actor: RequestActor, body: CreateOperatorBody): Promise<unknown> {
    const passwordHash = await this.hasher.hash(body.password);
    const id = newId();
    await this.db.transaction(async (sql) => {
      if (await this.repository.emailTaken(sql, body.email, null)) {
        throw new ConflictError('An operator with this email exists', { code: 'OPERATOR_EMAIL_TAKEN', details: { field: 'email' } });
      }
      await this.checkReferences(sql, body.teamIds, body.inboxIds);
      const timezone = await this.timezone(sql, body.timezone);
      await this.repository.insert(sql, { id, email: body.email, name: body.name, role: body.role, passwordHash, languages: body.languages, skills: body.skills, capacity: body.capacity, timezone });
      await this.repository.replaceTeams(sql, id, body.teamIds);
      await this.repository.replaceInboxes(sql, id, body.inboxIds);
      await this.repository.replaceShifts(sql, id, withIds(body.shifts));
      await this.repository.replaceDaysOff(sql, id, body.daysOff);
      await this.audit.record(sql, actor, 'operator.created', 'operator', id, { email: body.email, role: body.role });
    });
    return this.get(id);
  }

  /** a given `shifts` / `daysOff` list replaces the whole schedule / set; routing re-runs (the operator may now be on shift) */
  async update(actor: RequestActor, id: string, body: UpdateOperatorBody): Promise<unknown> {
    const passwordHash = body.password ? await this.hasher.hash(body.password) : undefined;
    await this.db.transaction(async (sql) => {
      const existing = await this.repository.get(sql, id);
      if (!existing) throw NotFoundError.of('operator', id);
      if (body.email && (await this.repository.emailTaken(sql, body.email, id))) {
        throw new ConflictError('An operator with this email exists', { code: 'OPERATOR_EMAIL_TAKEN', details: { field: 'email' } });
      }
      await this.checkReferences(sql, body.teamIds ?? [], body.inboxIds ?? []);
      const timezone = body.timezone === undefined ? undefined : await this.timezone(sql, body.timezone);
      await this.repository.update(sql, id, {
        email: body.email,
        name: body.name,
        role: body.role,
        passwordHash,
        languages: body.languages,
        skills: body.skills,
        capacity: body.capacity,
        timezone,
      });
      if (body.teamIds) await this.repository.replaceTeams(sql, id, body.teamIds);
      if (body.inboxIds) await this.repository.replaceInboxes(sql, id, body.inboxIds);
      if (body.shifts) await this.repository.replaceShifts(sql, id, withIds(body.shifts));
      if (body.daysOff) await this.repository.replaceDaysOff(sql, id, body.daysOff);
      const changed = Object.keys(body).filter((key) => key !== 'password');
      await this.audit.record(sql, actor, 'operator.updated', 'operator', id, { fields: body.password ? [...changed, 'password'] : changed });
    });
    this.routing.capacityChanged(id);
    return this.get(id);
  }

  /** soft delete: sessions revoked, their open conversations back to the queue */
  async remove(actor: RequestActor, id: string): Promise<void> {
    await this.db.transaction(async (sql) => {
      const ids = await this.repository.lockActiveConversationIds(sql, id);
      if (!(await this.repository.softDelete(sql, id))) throw NotFoundError.of('operator', id);
      await sql.exec(`UPDATE auth_refresh_tokens SET revoked_at = now(), revoked_reason = 'operator_deleted' WHERE operator_id = $1 AND revoked_at IS NULL`, [id]);
      await this.requeue(sql, ids, actor, 'operator_deleted');
      await this.audit.record(sql, actor, 'operator.deleted', 'operator', id, { requeued: ids.length });
    });
    this.routing.capacityChanged(null);
  }

  async setAvailability(actor: RequestActor, operatorId: string, availability: Availability): Promise<unknown> {
    const changed = await this.db.run((sql) => this.repository.setAvailability(sql, operatorId, availability));
    if (!changed) throw NotFoundError.of('operator', operatorId);
    if (availability === 'online') this.routing.capacityChanged(operatorId);
    return this.get(operatorId);
  }

  private async requeue(sql: SqlExecutor, conversationIds: readonly string[], actor: RequestActor, reason: string): Promise<void> {
    const views = await this.conversations.lockViews(sql, conversationIds);
    for (const view of views) {
      const c = view.conversation;
      c.previousAssigneeId = c.assigneeId;
      c.assigneeId = null;
      c.assignedAt = null;
      c.status = 'queued';
      c.version += 1;
      c.updatedAt = new Date();
      view.assigneeName = null;
    }
    await this.conversations.save(sql, views.map((view) => view.conversation));
    await this.conversationEvents.append(
      sql,
      views.map((view) => ({ conversationId: view.conversation.id, actor: auditActor(actor), action: 'unassigned', reason, data: { from: view.conversation.previousAssigneeId } })),
    );
    await this.outbox.enqueue(sql, views.map((view) => InboxEventFactory.conversationUpdated(view, { action: 'unassigned', actor: actor.id, reason })));
  }

  /** Postgres evaluates the shifts, so the zone must be in its tz database (stored as it spells it) */
  private async timezone(sql: SqlExecutor, name: string): Promise<string> {
    const canonical = await this.repository.canonicalTimezone(sql, name);
    if (!canonical) throw new ValidationFailedError([{ path: 'timezone', message: 'unknown timezone (an IANA name such as "Europe/Berlin")' }]);
    return canonical;
  }

  private async checkReferences(sql: SqlExecutor, teamIds: readonly string[], inboxIds: readonly string[]): Promise<void> {
    const teams = await this.repository.existing(sql, 'teams', teamIds);
    const inboxes = await this.repository.existing(sql, 'inboxes', inboxIds);
    const problems = [
      ...teamIds.map((teamId, index) => (teams.has(teamId) ? null : { path: `teamIds.${index}`, message: 'no such team' })),
      ...inboxIds.map((inboxId, index) => (inboxes.has(inboxId) ? null : { path: `inboxIds.${index}`, message: 'no such inbox' })),
    ].filter((problem): problem is { path: string; message: string } => problem !== null);
    if (problems.length > 0) throw new ValidationFailedError(problems);
  }
}

function withIds(shifts: readonly Shift[]): Array<Shift & { id: string }> {
  return shifts.map((shift) => ({ ...shift, id: newId() }));
}

function present(row: OperatorRow): Record<string, unknown> {
  return {
    ...row,
    availabilityChangedAt: row.availabilityChangedAt?.toISOString() ?? null,
    lastAssignedAt: row.lastAssignedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
