import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError, ValidationFailedError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import { AuditLogRepository } from '../audit/audit-log.repository';
import type { RequestActor } from '../http/request-actor';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import type { CreateTeamBody, UpdateTeamBody } from './dto/team.schemas';
import { TeamRepository, type TeamRow } from './team.repository';

/** Teams: members and their routing policy (balanced, round_robin, manual). */
@Injectable()
export class TeamsService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: TeamRepository,
    private readonly audit: AuditLogRepository,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
  ) {}

  async list(): Promise<{ items: unknown[]; nextCursor: null }> {
    const rows = await this.db.run((sql) => this.repository.list(sql));
    return { items: rows.map(present), nextCursor: null };
  }

  async get(id: string): Promise<unknown> {
    const row = await this.db.run((sql) => this.repository.get(sql, id));
    if (!row) throw NotFoundError.of('team', id);
    return present(row);
  }

  async create(actor: RequestActor, body: CreateTeamBody): Promise<unknown> {
    const id = newId();
    await this.db.transaction(async (sql) => {
      await this.repository.insert(sql, id, body.name, body.routing);
      await this.members(sql, id, body.memberIds);
      await this.audit.record(sql, actor, 'team.created', 'team', id, { name: body.name, routing: body.routing });
    });
    this.routing.capacityChanged(null);
    return this.get(id);
  }

  async update(actor: RequestActor, id: string, body: UpdateTeamBody): Promise<unknown> {
    await this.db.transaction(async (sql) => {
      if (!(await this.repository.get(sql, id))) throw NotFoundError.of('team', id);
      await this.repository.update(sql, id, body.name, body.routing);
      if (body.memberIds) await this.members(sql, id, body.memberIds);
      await this.audit.record(sql, actor, 'team.updated', 'team', id, { fields: Object.keys(body) });
    });
    this.routing.capacityChanged(null);
    return this.get(id);
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    await this.db.transaction(async (sql) => {
      if (!(await this.repository.softDelete(sql, id))) throw NotFoundError.of('team', id);
      await this.audit.record(sql, actor, 'team.deleted', 'team', id);
    });
  }

  private async members(sql: SqlExecutor, id: string, memberIds: readonly string[]): Promise<void> {
    const unknown = await this.repository.replaceMembers(sql, id, memberIds);
    if (unknown.length > 0) {
      throw new ValidationFailedError(unknown.map((memberId) => ({ path: `memberIds.${memberIds.indexOf(memberId)}`, message: 'no such operator' })));
    }
  }
}

function present(row: TeamRow): Record<string, unknown> {
  return { ...row, createdAt: row.createdAt.toISOString() };
}
