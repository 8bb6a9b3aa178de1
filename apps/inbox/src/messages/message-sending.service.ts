import { Inject, Injectable } from '@nestjs/common';
import type { MessageSnapshot, OutboundMessage } from '@switchboard/common';
import { ReplyTokenSigner } from '@switchboard/common/crypto';
import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import { ConversationEventRepository } from '../audit/conversation-event.repository';
import { assertBotMayWrite } from '../conversations/bot-turn';
import { ConversationLifecycle } from '../conversations/conversation-lifecycle';
import { conversationNotFound } from '../conversations/conversation-queries.service';
import { ConversationSnapshotMapper } from '../conversations/conversation-snapshot.mapper';
import type { ConversationView } from '../conversations/conversation-view';
import { ConversationRepository } from '../conversations/conversation.repository';
import type { SendMessageBody, StartConversationBody } from '../conversations/dto/conversation.schemas';
import { ActorScopeService } from '../http/actor-scope.service';
import { auditActor, type RequestActor } from '../http/request-actor';
import { InboxDirectory } from '../inboxes/inbox-directory.service';
import type { InboxProfile } from '../inboxes/inbox-profile';
import { IngestionRepository } from '../ingestion/ingestion.repository';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import type { OutboxRecord } from '../outbox/outbox-record';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { ConversationEntity } from '../persistence/entities/conversation.entity';
import type { MessageEntity, SenderType } from '../persistence/entities/message.entity';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { mentionExcerpt, parseMentions, type Mention } from './mention.parser';
import { MessageRepository, type RecipientIdentity } from './message.repository';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Whether the inbox can write first to someone who never wrote to it: an inbox that sends from an
 * address of its own (e-mail) can write to any address; a bot or widget channel (Telegram bots, web
 * chat) can only answer people who wrote to it.
 */
function writesToStrangers(inbox: InboxProfile): boolean {
  return inbox.ownAddresses.size > 0;
}

function recipientNeverWrote(inbox: InboxProfile, field: 'to' | 'contactId'): UnprocessableError {
  const message = writesToStrangers(inbox)
    ? `${field} must be an e-mail address or someone known on ${inbox.channelType}`
    : `Nobody with this ${field} has written to this ${inbox.channelType} inbox: it can only start conversations with people who wrote to it before`;
  return new UnprocessableError(message, { code: 'RECIPIENT_NEVER_WROTE', details: { field, channel: inbox.channelType } });
}

/**
 * Operators and bots writing: replies (pending until the connector's receipt, sent through the
 * outbox to channel.<type>.outbound.v1), internal notes (never leave the system), the collision
 * check, and conversations an operator starts.
 */
@Injectable()
export class MessageSendingService {
  private readonly lifecycle = new ConversationLifecycle();

  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly identities: IngestionRepository,
    private readonly conversationEvents: ConversationEventRepository,
    private readonly outbox: OutboxRepository,
    private readonly inboxes: InboxDirectory,
    private readonly scope: ActorScopeService,
    private readonly replyTokens: ReplyTokenSigner,
  ) {}

  async send(actor: RequestActor, conversationId: string, body: SendMessageBody): Promise<MessageSnapshot> {
    return this.db.transaction(async (sql) => {
      const view = await this.conversations.lockView(sql, conversationId);
      if (!view) throw conversationNotFound(conversationId);
      await this.scope.assertInbox(actor, view.conversation.inboxId, () => conversationNotFound(conversationId), sql);
      if (view.conversation.mergedIntoId) {
        throw new UnprocessableError('This conversation was merged into another one', {
          code: 'CONVERSATION_MERGED',
          details: { intoConversationId: view.conversation.mergedIntoId },
        });
      }
      assertBotMayWrite(actor, view.conversation.status, body.private === true);
      if (body.afterMessageId && !body.force) await this.checkCollision(sql, conversationId, body.afterMessageId, actor);

      const now = new Date();
      const message = this.newMessage(view.conversation, actor, now, body.private ? 'note' : 'message', body.text, body.html ?? null, body.attachments);
      const records: OutboxRecord[] = [];
      if (body.private) {
        const mentions = await this.mentionsIn(sql, view, actor, message.text);
        if (mentions.length > 0) message.channelMetadata = { mentions };
        await this.messages.insert(sql, [message]);
        records.push(
          InboxEventFactory.messageCreated(view, message),
          ...mentions.map((mention) =>
            InboxEventFactory.notification({ operatorId: mention.operatorId, kind: 'mention', conversationId, messageId: message.id, text: mentionExcerpt(message.text) }),
          ),
        );
      } else {
        const inbox = await this.requireInbox(view.conversation.inboxId, sql);
        const recipient = await this.requireRecipient(sql, view.conversation.contactId, inbox);
        const last = await this.messages.lastInbound(sql, conversationId);
        if (last?.externalId) {
          message.inReplyTo = last.externalId;
          message.references = [...last.references.filter((ref) => ref !== last.externalId).slice(-20), last.externalId];
        }
        this.lifecycle.applyOutbound(view.conversation, now, body.text || (body.attachments.length > 0 ? '[attachment]' : ''));
        await this.messages.insert(sql, [message]);
        await this.conversations.save(sql, [view.conversation]);
        records.push(
          InboxEventFactory.messageCreated(view, message),
          InboxEventFactory.conversationUpdated(view, { action: 'message_sent', actor: actor.id }),
          InboxEventFactory.outboundMessage(this.outboundOf(view, inbox, message, recipient, actor)),
        );
      }
      await this.outbox.enqueue(sql, records);
      return ConversationSnapshotMapper.message(message);
    });
  }

  /** an operator starts an outbound conversation with a known contact or an address on the inbox's channel */
  async start(actor: RequestActor, body: StartConversationBody): Promise<Record<string, unknown>> {
    const notFound = (): NotFoundError => NotFoundError.of('inbox', body.inboxId);
    return this.db.transaction(async (sql) => {
      const inbox = await this.inboxes.one(body.inboxId, sql);
      if (!inbox || inbox.deleted) throw notFound();
      await this.scope.assertInbox(actor, inbox.id, notFound, sql);

      let contactId: string;
      let contactName: string | null;
      if (body.contactId) {
        const contact = await sql.one<{ id: string; name: string | null }>(`SELECT id, name FROM contacts WHERE id = $1 AND erased_at IS NULL`, [body.contactId]);
        if (!contact) throw NotFoundError.of('contact', body.contactId);
        contactId = contact.id;
        contactName = contact.name;
      } else {
        ({ contactId, contactName } = await this.contactAt(sql, inbox, body.to as string));
      }
      const recipient = await this.requireRecipient(sql, contactId, inbox);
      const id = newId();
      // an inbox with an address of its own starts a new thread; one that can only answer writes in the
      // thread (chat) the contact last wrote from — connectors address replies by the thread key
      const threadKey = writesToStrangers(inbox) ? `outbound:${id}` : await this.messages.lastThreadKeyOf(sql, contactId, inbox.id, recipient.externalId);
      if (!threadKey) throw recipientNeverWrote(inbox, body.contactId ? 'contactId' : 'to');

      const now = new Date();
      const operatorId = actor.role === 'bot' || actor.role === 'system' ? null : actor.id;
      const conversation = this.lifecycle.openFromInbound(
        { id, inboxId: inbox.id, contactId, threadKey, subject: body.subject ?? null, at: now, autoReply: true, linkedConversationId: null },
        inbox,
      );
      conversation.status = operatorId ? 'pending' : inbox.botId && actor.role === 'bot' ? 'bot' : 'queued';
      conversation.assigneeId = operatorId;
      conversation.assignedAt = operatorId ? now : null;
      const view: ConversationView = { conversation, channel: inbox.channelType, contactName, assigneeName: actor.name, teamName: inbox.defaultTeamName };
      const message = this.newMessage(conversation, actor, now, 'message', body.text, body.html ?? null, []);
      this.lifecycle.applyOutbound(conversation, now, body.text);
      conversation.version = 1;
      await this.conversations.insert(sql, [conversation]);
      await this.messages.insert(sql, [message]);
      if (operatorId) await this.conversations.refreshNames(sql, view);
      await this.conversationEvents.append(sql, [
        { conversationId: id, actor: auditActor(actor), action: 'created', reason: 'outbound', data: { status: conversation.status, assigneeId: operatorId } },
      ]);
      await this.outbox.enqueue(sql, [
        InboxEventFactory.conversationCreated(view, { action: 'created', actor: actor.id, reason: 'outbound' }),
        InboxEventFactory.messageCreated(view, message),
        InboxEventFactory.outboundMessage(this.outboundOf(view, inbox, message, recipient, actor)),
      ]);
      return { ...ConversationSnapshotMapper.conversation(view), message: ConversationSnapshotMapper.message(message) };
    });
  }

  /**
   * the contact behind `to` on the inbox's channel: someone known there, or — for an inbox that writes
   * from an address of its own (e-mail) — a new contact for a new address
   */
  private async contactAt(sql: SqlExecutor, inbox: InboxProfile, to: string): Promise<{ contactId: string; contactName: string | null }> {
    const isAddress = ADDRESS.test(to);
    const externalId = isAddress ? to.toLowerCase() : to;
    const known = await this.messages.identityOn(sql, inbox.channelType, externalId);
    if (known) return known;
    if (!writesToStrangers(inbox) || !isAddress) throw recipientNeverWrote(inbox, 'to');
    const resolved = await this.identities.upsertIdentities(sql, [
      { channelType: inbox.channelType, externalId, displayName: null, username: null, email: externalId, phone: null, language: null },
    ]);
    const identity = [...resolved.values()][0];
    return { contactId: identity.contactId, contactName: identity.contactName };
  }

  /** who a note mentions: operators who may see the conversation, never its author (a reply to the customer mentions no one) */
  private async mentionsIn(sql: SqlExecutor, view: ConversationView, actor: RequestActor, text: string): Promise<Mention[]> {
    if (!text.includes('@')) return [];
    const candidates = await this.messages.mentionCandidates(sql, view.conversation.inboxId, view.conversation.assigneeId);
    return parseMentions(text, candidates.filter((candidate) => candidate.id !== actor.id));
  }

  private async checkCollision(sql: SqlExecutor, conversationId: string, afterMessageId: string, actor: RequestActor): Promise<void> {
    const anchor = await this.messages.byId(sql, afterMessageId);
    if (!anchor || anchor.conversationId !== conversationId) {
      throw new ValidationFailedError([{ path: 'afterMessageId', message: 'is not a message of this conversation' }]);
    }
    const newer = await this.messages.writtenSince(sql, conversationId, anchor, actor.id);
    if (newer.length > 0) {
      throw new ConflictError('Someone wrote in this conversation since the message you answered', {
        code: 'COLLISION',
        details: { messages: newer.map((message) => ConversationSnapshotMapper.message(message)) },
      });
    }
  }

  private newMessage(
    conversation: ConversationEntity,
    actor: RequestActor,
    at: Date,
    kind: 'message' | 'note',
    text: string,
    html: string | null,
    attachments: MessageEntity['attachments'],
  ): MessageEntity {
    const senderType: SenderType = actor.role === 'bot' ? 'bot' : actor.role === 'system' ? 'system' : 'operator';
    return {
      id: newId(),
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      direction: 'outbound',
      senderType,
      senderId: actor.id,
      kind,
      subject: kind === 'message' ? conversation.subject : null,
      text,
      html,
      quotedText: null,
      attachments,
      refusedAttachments: [],
      externalId: null,
      inReplyTo: null,
      references: [],
      deliveryStatus: kind === 'note' ? 'sent' : 'pending',
      failureCode: null,
      failureReason: null,
      threadingReason: null,
      autoReply: false,
      pinned: false,
      channelMetadata: null,
      sentAt: null,
      editedAt: null,
      createdAt: at,
    };
  }

  private outboundOf(view: ConversationView, inbox: InboxProfile, message: MessageEntity, recipient: RecipientIdentity, actor: RequestActor): OutboundMessage {
    return {
      messageId: message.id,
      conversationId: view.conversation.id,
      inboxId: inbox.id,
      channelType: inbox.channelType,
      recipient: { externalId: recipient.externalId, displayName: recipient.displayName ?? undefined, email: recipient.email ?? undefined },
      threadKey: view.conversation.threadKey,
      subject: view.conversation.subject ?? undefined,
      text: message.text,
      html: message.html ?? undefined,
      attachments: message.attachments,
      inReplyTo: message.inReplyTo ?? undefined,
      references: message.references,
      replyToken: this.replyTokens.sign(view.conversation.id),
      sender: { type: message.senderType === 'contact' ? 'system' : message.senderType, id: actor.id ?? undefined, name: actor.name ?? undefined },
      createdAt: message.createdAt.toISOString(),
    };
  }

  private async requireInbox(inboxId: string, sql: SqlExecutor): Promise<InboxProfile> {
    const inbox = await this.inboxes.one(inboxId, sql);
    if (!inbox || inbox.deleted) throw new UnprocessableError('The inbox of this conversation no longer exists', { code: 'INBOX_DELETED' });
    return inbox;
  }

  private async requireRecipient(sql: SqlExecutor, contactId: string, inbox: InboxProfile): Promise<RecipientIdentity> {
    const recipient = await this.messages.recipient(sql, contactId, inbox.channelType);
    if (!recipient) {
      throw new UnprocessableError(`The contact has no ${inbox.channelType} identity to write to`, { code: 'NO_RECIPIENT', details: { channel: inbox.channelType } });
    }
    return recipient;
  }
}
