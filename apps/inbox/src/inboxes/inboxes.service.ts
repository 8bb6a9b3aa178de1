import { Inject, Injectable } from '@nestjs/common';
import type { ChannelConfig, EncryptedSecret } from '@switchboard/common';
import { SecretBox } from '@switchboard/common/crypto';
import { NotFoundError, UnprocessableError, ValidationFailedError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import { randomBytes } from 'node:crypto';
import { AuditLogRepository } from '../audit/audit-log.repository';
import { ActorScopeService } from '../http/actor-scope.service';
import type { RequestActor } from '../http/request-actor';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { RoutingPolicy } from '../persistence/entities/team.entity';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import { ChannelConfigSplitter } from './channel-config-splitter';
import type { CreateInboxBody, UpdateInboxBody } from './dto/inbox.schemas';
import { InboxDirectory } from './inbox-directory.service';
import { InboxRepository, type InboxRow, type InboxWrite } from './inbox.repository';

/** the bot's reply time limit of an inbox that sets none (the column's default too) */
const DEFAULT_BOT_TIMEOUT_SECONDS = 120;

/**
 * Inboxes (channel accounts) and their policies. Every change is published to the compacted topic
 * inbox.channels.v1 (key inboxId, through the outbox, in order) with the secrets encrypted
 * (AES-256-GCM, SECRETS_KEY) — that is how connectors learn what to serve. Secrets are write-only:
 * responses list their names, never their values.
 */
@Injectable()
export class InboxesService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: InboxRepository,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditLogRepository,
    private readonly directory: InboxDirectory,
    private readonly scope: ActorScopeService,
    private readonly secretBox: SecretBox,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
  ) {}

  async list(actor: RequestActor): Promise<{ items: unknown[]; nextCursor: null }> {
    const visible = await this.scope.inboxIds(actor);
    const rows = await this.db.run((sql) => this.repository.list(sql, visible));
    return { items: rows.map(present), nextCursor: null };
  }

  async get(actor: RequestActor, id: string): Promise<unknown> {
    const row = await this.db.run((sql) => this.repository.get(sql, id));
    if (!row) throw NotFoundError.of('inbox', id);
    await this.scope.assertInbox(actor, id, () => NotFoundError.of('inbox', id));
    return present(row);
  }

  async create(actor: RequestActor, body: CreateInboxBody): Promise<unknown> {
    const id = newId();
    const { settings, secrets } = ChannelConfigSplitter.split(body.config ?? {});
    const row: InboxWrite = {
      id,
      channelType: body.channel,
      name: body.name,
      enabled: body.enabled ?? true,
      settings,
      secrets: this.encrypt({}, secrets),
      configVersion: 1,
      publicKey: randomBytes(18).toString('base64url'),
      defaultTeamId: body.teamId ?? null,
      botId: body.botId ?? null,
      routingPolicy: body.routing ?? 'balanced',
      sticky: body.sticky ?? true,
      newConversationAfterDays: body.newConversationAfterDays ?? null,
      unansweredTimeoutSeconds: body.unansweredTimeoutSeconds ?? null,
      firstResponseSlaSeconds: body.firstResponseSlaSeconds ?? null,
      resolutionSlaSeconds: body.resolutionSlaSeconds ?? null,
      botTimeoutSeconds: body.botTimeoutSeconds ?? DEFAULT_BOT_TIMEOUT_SECONDS,
      handoffKeywords: body.handoffKeywords ?? null,
    };
    await this.db.transaction(async (sql) => {
      await this.checkReferences(sql, row.defaultTeamId, row.botId);
      await this.repository.insert(sql, row);
      if (body.memberIds) await this.members(sql, id, body.memberIds);
      await this.publish(sql, row, false);
      await this.audit.record(sql, actor, 'inbox.created', 'inbox', id, { channel: row.channelType, name: row.name, secrets: Object.keys(row.secrets) });
    });
    return this.get(actor, id);
  }

  async update(actor: RequestActor, id: string, body: UpdateInboxBody): Promise<unknown> {
    await this.db.transaction(async (sql) => {
      const current = await this.repository.lock(sql, id);
      if (!current) throw NotFoundError.of('inbox', id);
      if (body.channel !== undefined && body.channel !== current.channelType) {
        throw new UnprocessableError('An inbox cannot change its channel; create another inbox', { code: 'CHANNEL_IMMUTABLE' });
      }
      const split = body.config ? ChannelConfigSplitter.split(body.config) : { settings: {}, secrets: {} };
      const next: InboxWrite = {
        ...current,
        name: body.name ?? current.name,
        enabled: body.enabled ?? current.enabled,
        settings: body.config ? ChannelConfigSplitter.merge(current.settings, split.settings) : current.settings,
        secrets: this.encrypt(current.secrets, split.secrets),
        configVersion: current.configVersion + 1,
        defaultTeamId: body.teamId !== undefined ? body.teamId : current.defaultTeamId,
        botId: body.botId !== undefined ? body.botId : current.botId,
        routingPolicy: (body.routing ?? current.routingPolicy) as RoutingPolicy,
        sticky: body.sticky ?? current.sticky,
        newConversationAfterDays: body.newConversationAfterDays !== undefined ? body.newConversationAfterDays : current.newConversationAfterDays,
        unansweredTimeoutSeconds: body.unansweredTimeoutSeconds !== undefined ? body.unansweredTimeoutSeconds : current.unansweredTimeoutSeconds,
        firstResponseSlaSeconds: body.firstResponseSlaSeconds !== undefined ? body.firstResponseSlaSeconds : current.firstResponseSlaSeconds,
        resolutionSlaSeconds: body.resolutionSlaSeconds !== undefined ? body.resolutionSlaSeconds : current.resolutionSlaSeconds,
        botTimeoutSeconds: body.botTimeoutSeconds ?? current.botTimeoutSeconds,
        handoffKeywords: body.handoffKeywords !== undefined ? body.handoffKeywords : current.handoffKeywords,
      };
      await this.checkReferences(sql, next.defaultTeamId, next.botId);
      await this.repository.update(sql, next);
      if (body.memberIds) await this.members(sql, id, body.memberIds);
      await this.publish(sql, next, false);
      await this.audit.record(sql, actor, 'inbox.updated', 'inbox', id, { fields: Object.keys(body), secrets: Object.keys(split.secrets) });
    });
    this.directory.invalidate(id);
    this.routing.capacityChanged(null);
    return this.get(actor, id);
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    await this.db.transaction(async (sql) => {
      const current = await this.repository.lock(sql, id);
      if (!current) throw NotFoundError.of('inbox', id);
      const version = current.configVersion + 1;
      await this.repository.softDelete(sql, id, version);
      await this.publish(sql, { ...current, enabled: false, configVersion: version }, true);
      await this.audit.record(sql, actor, 'inbox.deleted', 'inbox', id, { channel: current.channelType });
    });
    this.directory.invalidate(id);
  }

  private encrypt(current: Record<string, EncryptedSecret>, changes: Record<string, string | null>): Record<string, EncryptedSecret> {
    const out = { ...current };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete out[name];
      else out[name] = this.secretBox.encrypt(value);
    }
    return out;
  }

  private async publish(sql: SqlExecutor, row: InboxWrite, deleted: boolean): Promise<void> {
    const config: ChannelConfig = {
      inboxId: row.id,
      channelType: row.channelType,
      name: row.name,
      enabled: row.enabled && !deleted,
      deleted,
      version: row.configVersion,
      settings: row.settings,
      secrets: row.secrets,
      updatedAt: new Date().toISOString(),
    };
    await this.outbox.enqueue(sql, [InboxEventFactory.channelConfig(config)]);
  }

  private async checkReferences(sql: SqlExecutor, teamId: string | null, botId: string | null): Promise<void> {
    const problems = [];
    if (teamId && !(await this.repository.exists(sql, 'teams', teamId))) problems.push({ path: 'teamId', message: 'no such team' });
    if (botId && !(await this.repository.exists(sql, 'bots', botId))) problems.push({ path: 'botId', message: 'no such bot' });
    if (problems.length > 0) throw new ValidationFailedError(problems);
  }

  private async members(sql: SqlExecutor, id: string, memberIds: readonly string[]): Promise<void> {
    const unknown = await this.repository.replaceMembers(sql, id, memberIds);
    if (unknown.length > 0) {
      throw new ValidationFailedError(unknown.map((memberId) => ({ path: `memberIds.${memberIds.indexOf(memberId)}`, message: 'no such operator' })));
    }
  }
}

/** the API shape: settings as `config`, secret names only */
function present(row: InboxRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    channel: row.channelType,
    enabled: row.enabled,
    config: row.settings,
    secrets: Object.keys(row.secrets).sort(),
    inboxKey: row.publicKey,
    teamId: row.defaultTeamId,
    botId: row.botId,
    memberIds: row.memberIds,
    routing: row.routingPolicy,
    sticky: row.sticky,
    newConversationAfterDays: row.newConversationAfterDays,
    unansweredTimeoutSeconds: row.unansweredTimeoutSeconds,
    firstResponseSlaSeconds: row.firstResponseSlaSeconds,
    resolutionSlaSeconds: row.resolutionSlaSeconds,
    botTimeoutSeconds: row.botTimeoutSeconds,
    handoffKeywords: row.handoffKeywords,
    channelStatus: { state: row.channelStatus, reason: row.channelStatusReason, at: row.channelStatusAt?.toISOString() ?? null },
    configVersion: row.configVersion,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
