import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@switchboard/common/crypto';
import { NotFoundError, ValidationFailedError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import { createHash, randomBytes } from 'node:crypto';
import { AuditLogRepository } from '../audit/audit-log.repository';
import type { RequestActor } from '../http/request-actor';
import { InboxDirectory } from '../inboxes/inbox-directory.service';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { BotRepository, type BotRow } from './bot.repository';
import { BOT_WEBHOOK_OPTIONS, type BotWebhookOptions } from './bot-webhook-options';
import { webhookUrlProblem } from './webhook-url.check';

/**
 * Bots: a token (shown once; the auth store checks sha256(token)) and a webhook secret (encrypted at
 * rest, shown once) per bot; a bot serves the inboxes whose bot_id it is.
 */
@Injectable()
export class BotsService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: BotRepository,
    private readonly audit: AuditLogRepository,
    private readonly secretBox: SecretBox,
    private readonly directory: InboxDirectory,
    @Inject(BOT_WEBHOOK_OPTIONS) private readonly webhookOptions: BotWebhookOptions,
  ) {}

  async list(): Promise<{ items: unknown[]; nextCursor: null }> {
    return { items: (await this.db.run((sql) => this.repository.list(sql))).map(present), nextCursor: null };
  }

  async get(id: string): Promise<unknown> {
    const row = await this.db.run((sql) => this.repository.get(sql, id));
    if (!row) throw NotFoundError.of('bot', id);
    return present(row);
  }

  /** a bot's own profile (GET /me with a bot token) */
  async me(id: string): Promise<unknown> {
    return { ...((await this.get(id)) as Record<string, unknown>), role: 'bot' };
  }

  async create(actor: RequestActor, body: { name: string; webhookUrl?: string; inboxIds: string[] }): Promise<unknown> {
    if (body.webhookUrl) {
      const problem = await webhookUrlProblem(body.webhookUrl, this.webhookOptions.allowPrivateNetworks);
      if (problem) throw new ValidationFailedError([{ path: 'webhookUrl', message: problem }]);
    }
    const id = newId();
    const token = `sbb_${randomBytes(24).toString('base64url')}`;
    const webhookSecret = randomBytes(24).toString('base64url');
    const bot = await this.db.transaction(async (sql) => {
      await this.repository.insert(sql, {
        id,
        name: body.name,
        webhookUrl: body.webhookUrl ?? null,
        webhookSecret: this.secretBox.encrypt(webhookSecret),
        tokenHash: createHash('sha256').update(token).digest('hex'),
      });
      const missing = await this.repository.attach(sql, id, body.inboxIds);
      if (missing.length > 0) throw new ValidationFailedError(missing.map((inboxId) => ({ path: `inboxIds.${body.inboxIds.indexOf(inboxId)}`, message: 'no such inbox' })));
      await this.audit.record(sql, actor, 'bot.created', 'bot', id, { name: body.name, inboxIds: body.inboxIds });
      return (await this.repository.get(sql, id)) as BotRow;
    });
    for (const inboxId of body.inboxIds) this.directory.invalidate(inboxId);
    return { ...present(bot), token, webhookSecret };
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    const inboxIds = await this.db.transaction(async (sql) => {
      const bot = await this.repository.get(sql, id);
      if (!bot || !(await this.repository.softDelete(sql, id))) throw NotFoundError.of('bot', id);
      await this.audit.record(sql, actor, 'bot.deleted', 'bot', id);
      return bot.inboxIds;
    });
    for (const inboxId of inboxIds) this.directory.invalidate(inboxId);
  }
}

function present(row: BotRow): Record<string, unknown> {
  return { ...row, createdAt: row.createdAt.toISOString() };
}
