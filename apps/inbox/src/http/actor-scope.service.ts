import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@switchboard/common/errors';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ActorScopeRepository } from './actor-scope.repository';
import { seesEverything, type RequestActor } from './request-actor';

/**
 * What a caller may see: admins and supervisors every inbox, operators the inboxes they are members
 * of (directly or through the inbox's team), bots the inboxes they serve. Anything outside is
 * answered as not found (its existence is not revealed).
 */
@Injectable()
export class ActorScopeService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: ActorScopeRepository,
  ) {}

  /** the visible inbox ids, or null for all */
  async inboxIds(actor: RequestActor, sql?: SqlExecutor): Promise<string[] | null> {
    if (seesEverything(actor)) return null;
    const run = (executor: SqlExecutor) =>
      actor.role === 'bot' ? this.repository.botInboxIds(executor, actor.id as string) : this.repository.operatorInboxIds(executor, actor.id as string);
    return sql ? run(sql) : this.db.run(run);
  }

  async teamIds(actor: RequestActor): Promise<string[]> {
    if (!actor.id || actor.role === 'bot') return [];
    return this.db.run((sql) => this.repository.operatorTeamIds(sql, actor.id as string));
  }

  /** throws CONVERSATION_NOT_FOUND (or the given entity) when the inbox is outside the caller's scope */
  async assertInbox(actor: RequestActor, inboxId: string, notFound: () => NotFoundError, sql?: SqlExecutor): Promise<void> {
    const visible = await this.inboxIds(actor, sql);
    if (visible !== null && !visible.includes(inboxId)) throw notFound();
  }
}
