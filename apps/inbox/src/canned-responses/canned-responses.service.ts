import { Inject, Injectable } from '@nestjs/common';
import { newId } from '@switchboard/common/ids';
import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@switchboard/common/errors';
import { requireStaffLead } from '../contacts/staff-lead';
import { conversationNotFound } from '../conversations/conversation-queries.service';
import { ActorScopeService } from '../http/actor-scope.service';
import type { RequestActor } from '../http/request-actor';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { sqlState, type SqlExecutor } from '../persistence/sql-executor';
import type { CannedResponseRecord } from './canned-response-record';
import { CannedResponseRepository, type CannedResponseFields, type RenderContext } from './canned-response.repository';
import type { CreateCannedResponseBody, ListCannedResponsesQuery, UpdateCannedResponseBody } from './dto/canned-response.schemas';
import { TemplateRenderer, type TemplateValues } from './template-renderer';

export const cannedResponseNotFound = (id: string): NotFoundError => NotFoundError.of('cannedResponse', id);

/**
 * Scripts (canned responses): admins and supervisors write them; everyone reads those for every inbox
 * and those for the inboxes they see. A script is rendered for a conversation by filling
 * `{{contact.name}}`, `{{contact.email}}`, `{{contact.phone}}`, `{{operator.name}}`, `{{conversation.id}}`,
 * `{{conversation.subject}}`, `{{inbox.name}}`, `{{inbox.channel}}` (unknown variables stay visible).
 */
@Injectable()
export class CannedResponsesService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: CannedResponseRepository,
    private readonly scope: ActorScopeService,
  ) {}

  async list(actor: RequestActor, query: ListCannedResponsesQuery): Promise<{ items: Array<CannedResponseRecord & { rendered?: string }> }> {
    const visibleInboxIds = await this.scope.inboxIds(actor);
    const text = query.q?.trim().toLowerCase();
    return this.db.run(async (sql) => {
      const items = await this.repository.list(sql, {
        visibleInboxIds,
        inboxId: query.inboxId,
        language: query.language?.trim() || undefined,
        text: text ? text.replace(/[\\%_]/g, (c) => `\\${c}`) : undefined,
        limit: query.limit,
      });
      if (!query.conversationId) return { items };
      const values = await this.values(sql, actor, query.conversationId);
      return { items: items.map((item) => ({ ...item, rendered: TemplateRenderer.render(item.body, values.values) })) };
    });
  }

  async get(actor: RequestActor, id: string): Promise<CannedResponseRecord> {
    const visibleInboxIds = await this.scope.inboxIds(actor);
    const found = await this.db.run((sql) => this.repository.findVisible(sql, id, visibleInboxIds));
    if (!found) throw cannedResponseNotFound(id);
    return found;
  }

  async create(actor: RequestActor, body: CreateCannedResponseBody): Promise<CannedResponseRecord> {
    requireStaffLead(actor);
    const id = newId();
    const fields: CannedResponseFields = {
      shortcut: body.shortcut,
      title: body.title,
      body: body.body,
      language: body.language ?? null,
      inboxIds: body.inboxIds ?? [],
    };
    await this.write(async (sql) => {
      await this.assertInboxes(sql, fields.inboxIds);
      await this.repository.insert(sql, id, fields, actor.id);
      await this.repository.audit(sql, actor, 'canned_response.created', id, { shortcut: fields.shortcut });
    }, fields.shortcut);
    return this.get(actor, id);
  }

  async update(actor: RequestActor, id: string, body: UpdateCannedResponseBody): Promise<CannedResponseRecord> {
    requireStaffLead(actor);
    await this.write(async (sql) => {
      const current = await this.repository.findVisible(sql, id, null, true);
      if (!current) throw cannedResponseNotFound(id);
      const fields: CannedResponseFields = {
        shortcut: body.shortcut ?? current.shortcut,
        title: body.title ?? current.title,
        body: body.body ?? current.body,
        language: body.language !== undefined ? body.language : current.language,
        inboxIds: body.inboxIds ?? current.inboxIds,
      };
      if (body.inboxIds) await this.assertInboxes(sql, body.inboxIds);
      await this.repository.update(sql, id, fields);
      await this.repository.audit(sql, actor, 'canned_response.updated', id, { fields: Object.keys(body) });
    }, body.shortcut ?? '');
    return this.get(actor, id);
  }

  async remove(actor: RequestActor, id: string): Promise<void> {
    requireStaffLead(actor);
    await this.db.transaction(async (sql) => {
      if ((await this.repository.softDelete(sql, id)) === 0) throw cannedResponseNotFound(id);
      await this.repository.audit(sql, actor, 'canned_response.deleted', id, {});
    });
  }

  /** the script's text for one conversation the caller sees */
  async render(actor: RequestActor, id: string, conversationId: string): Promise<{ id: string; conversationId: string; text: string; missing: string[] }> {
    const visibleInboxIds = await this.scope.inboxIds(actor);
    return this.db.run(async (sql) => {
      const script = await this.repository.findVisible(sql, id, visibleInboxIds);
      if (!script) throw cannedResponseNotFound(id);
      const { context, values } = await this.values(sql, actor, conversationId);
      if (script.inboxIds.length > 0 && !script.inboxIds.includes(context.inboxId)) {
        throw new UnprocessableError("This script is not for the conversation's inbox", {
          code: 'CANNED_RESPONSE_NOT_FOR_INBOX',
          details: { inboxId: context.inboxId },
        });
      }
      const missing = TemplateRenderer.variables(script.body).filter((name) => !Object.prototype.hasOwnProperty.call(values, name));
      return { id, conversationId, text: TemplateRenderer.render(script.body, values), missing };
    });
  }

  private async values(sql: SqlExecutor, actor: RequestActor, conversationId: string): Promise<{ context: RenderContext; values: TemplateValues }> {
    const context = await this.repository.renderContext(sql, conversationId);
    if (!context) throw conversationNotFound(conversationId);
    await this.scope.assertInbox(actor, context.inboxId, () => conversationNotFound(conversationId), sql);
    const operatorName = actor.id && actor.role !== 'bot' ? ((await this.repository.operatorName(sql, actor.id)) ?? actor.name) : actor.name;
    const values: TemplateValues = {
      'contact.name': context.contactName,
      'contact.firstName': context.contactName?.trim().split(/\s+/)[0] ?? null,
      'contact.email': context.contactEmail,
      'contact.phone': context.contactPhone,
      'operator.name': operatorName,
      'conversation.id': context.conversationId,
      'conversation.subject': context.subject,
      'inbox.name': context.inboxName,
      'inbox.channel': context.channel,
    };
    return { context, values };
  }

  private async assertInboxes(sql: SqlExecutor, inboxIds: string[]): Promise<void> {
    const existing = new Set(await this.repository.existingInboxIds(sql, inboxIds));
    const problems = inboxIds.flatMap((inboxId, index) => (existing.has(inboxId) ? [] : [{ path: `inboxIds.${index}`, message: 'is not an inbox' }]));
    if (problems.length > 0) throw new ValidationFailedError(problems);
  }

  /** a transaction whose unique violation on the shortcut becomes 409 */
  private async write(fn: (sql: SqlExecutor) => Promise<void>, shortcut: string): Promise<void> {
    try {
      await this.db.transaction(fn);
    } catch (error) {
      if (sqlState(error) === '23505') {
        throw new ConflictError(`The shortcut "${shortcut}" is taken`, { code: 'CANNED_RESPONSE_SHORTCUT_TAKEN', details: { field: 'shortcut' } });
      }
      throw error;
    }
  }
}
