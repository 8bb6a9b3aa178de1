import { Inject, Injectable } from '@nestjs/common';
import { NonRetryableError, type BusMessage, type InboundMessage } from '@switchboard/common';
import { withMessageContext } from '@switchboard/common/bus/bus-context';
import { newId } from '@switchboard/common/ids';
import type { ConversationEventRecord } from '../audit/conversation-event-record';
import { ConversationEventRepository } from '../audit/conversation-event.repository';
import { BotInboundService, type MessageForBot } from '../bots/bot-inbound.service';
import { BotWebhookDispatcher } from '../bots/bot-webhook.dispatcher';
import { ConversationLifecycle } from '../conversations/conversation-lifecycle';
import type { ConversationView } from '../conversations/conversation-view';
import { ConversationRepository } from '../conversations/conversation.repository';
import { InboxDirectory } from '../inboxes/inbox-directory.service';
import type { InboxProfile } from '../inboxes/inbox-profile';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import type { OutboxRecord } from '../outbox/outbox-record';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { ConversationEntity } from '../persistence/entities/conversation.entity';
import type { MessageEntity } from '../persistence/entities/message.entity';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import type { SqlExecutor } from '../persistence/sql-executor';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import { ReplyTokenSigner } from '@switchboard/common/crypto';
import { ThreadResolver } from '../threading/thread-resolver';
import type { ThreadCandidate } from '../threading/threading.types';
import { InboundDecoder, type DecodedInbound } from './inbound-decoder';
import { identityKey, inboxScopedKey, IngestionRepository, type ParticipantRow, type ResolvedIdentity } from './ingestion.repository';

export interface IngestionOutcome {
  /** messages stored */
  stored: number;
  /** messages already stored (redelivered) */
  duplicates: number;
  edits: number;
  conversationsCreated: number;
  /** conversations now waiting in the queue (routing is told after the commit) */
  queued: string[];
  /** customers' messages queued for their bots' webhooks (the dispatcher is woken after the commit) */
  queuedForBots: number;
  /** conversations handed from their bot to humans because the customer asked for one */
  handedOff: number;
}

type PendingOutbox = { record: OutboxRecord; messageId: string | null };

/** Told after every committed batch (metrics, benchmarks): the records, what happened, when it committed. */
export type IngestionObserver = (batch: readonly BusMessage[], outcome: IngestionOutcome, committedAt: number) => void;

const EMPTY = new Set<string>();
const MAX_MERGE_HOPS = 5;

/**
 * inbox.inbound.v1 → Postgres, one transaction per batch: contacts by identity, threading
 * (ThreadResolver), the message (idempotent on (inbox_id, external_id)), status transitions and
 * reopen policy (ConversationLifecycle), the audit trail, the outbox rows and what bots must hear
 * (BotInboundService: a webhook delivery, or a handoff when the customer asks for a human). The decisions are made
 * in memory over data fetched with a few set-based statements, so a batch costs about a dozen
 * round trips whatever its size.
 */
@Injectable()
export class IngestionService {
  private readonly decoder = new InboundDecoder();
  private readonly resolver = new ThreadResolver();
  private readonly lifecycle = new ConversationLifecycle();
  private readonly observers = new Set<IngestionObserver>();

  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: IngestionRepository,
    private readonly conversations: ConversationRepository,
    private readonly conversationEvents: ConversationEventRepository,
    private readonly outbox: OutboxRepository,
    private readonly inboxes: InboxDirectory,
    private readonly replyTokens: ReplyTokenSigner,
    private readonly bots: BotInboundService,
    private readonly botWebhooks: BotWebhookDispatcher,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
  ) {}

  async ingest(batch: readonly BusMessage[]): Promise<IngestionOutcome> {
    const decoded = batch.map((message) => this.decoder.decode(message));
    const inboxes = await this.inboxes.get(decoded.map((item) => item.data.inboxId));
    for (const item of decoded) {
      const inbox = inboxes.get(item.data.inboxId);
      if (!inbox || inbox.deleted) throw new NonRetryableError(`unknown inbox ${item.data.inboxId}`);
      if (inbox.channelType !== item.data.channelType) {
        throw new NonRetryableError(`inbox ${inbox.id} is a ${inbox.channelType} inbox, not ${item.data.channelType}`);
      }
    }
    // prepared statements: a batch runs the same dozen statements, so each connection parses and plans them once
    const outcome = await this.db.transaction((sql) => this.ingestInTransaction(sql.prepared(), decoded, inboxes));
    const committedAt = Date.now();
    for (const observer of this.observers) observer(batch, outcome, committedAt);
    if (outcome.queued.length > 0) this.routing.conversationsQueued(outcome.queued);
    if (outcome.queuedForBots > 0) this.botWebhooks.wake();
    return outcome;
  }

  /** @returns a function that removes the observer */
  observe(observer: IngestionObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private async ingestInTransaction(sql: SqlExecutor, decoded: readonly DecodedInbound[], inboxes: Map<string, InboxProfile>): Promise<IngestionOutcome> {
    const outcome: IngestionOutcome = { stored: 0, duplicates: 0, edits: 0, conversationsCreated: 0, queued: [], queuedForBots: 0, handedOff: 0 };
    // Generic plans for this transaction's statements: a custom plan binds the batch's arrays (about 1 MB of
    // text a batch) as constants, which the planner and executor then copy — 3.7 ms of planning a batch for the
    // outbox insert alone under load. Every statement here is set-based over arrays, so the generic plan (index
    // lookups, nested loops) is also the right one.
    await sql.exec('SET LOCAL plan_cache_mode = force_generic_plan');
    const inbound = decoded.filter((item): item is Extract<DecodedInbound, { kind: 'message' }> => item.kind === 'message');

    // 1. one lookup for the stored messages among this batch's ids and the ids they reference
    const lookups = uniquePairs([
      ...inbound.map(({ data }) => ({ inboxId: data.inboxId, externalId: data.externalId })),
      ...inbound.flatMap(({ data }) => referencesOf(data).map((externalId) => ({ inboxId: data.inboxId, externalId }))),
    ]);
    const known = new Map((await this.repository.referencedMessages(sql, lookups)).map((hit) => [inboxScopedKey(hit.inboxId, hit.externalId), hit.conversationId]));
    // idempotency: drop what is stored already or repeated within the batch
    const stored = new Set(known.keys());
    const seen = new Set<string>();
    const fresh = inbound.filter((item) => {
      const key = inboxScopedKey(item.data.inboxId, item.data.externalId);
      if (stored.has(key) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    outcome.duplicates = inbound.length - fresh.length;

    if (fresh.length > 0) {
      await this.storeMessages(sql, fresh, inboxes, known, outcome);
    }

    for (const item of decoded) {
      if (item.kind === 'edit') outcome.edits += await this.applyEdit(sql, item);
    }
    return outcome;
  }

  private async storeMessages(
    sql: SqlExecutor,
    fresh: ReadonlyArray<Extract<DecodedInbound, { kind: 'message' }>>,
    inboxes: Map<string, InboxProfile>,
    referenced: Map<string, string>,
    outcome: IngestionOutcome,
  ): Promise<void> {
    // 2. contacts by channel identity
    const identities = await this.repository.upsertIdentities(
      sql,
      fresh.map(({ data }) => ({
        channelType: data.channelType,
        externalId: data.sender.externalId,
        displayName: data.sender.displayName ?? null,
        username: data.sender.username ?? null,
        email: data.sender.email ?? null,
        phone: data.sender.phone ?? null,
        language: data.sender.language ?? null,
      })),
    );

    // 3. threading candidates: reply tokens, referenced messages, thread keys
    const tokenConversation = new Map<string, string | null>();
    for (const { data } of fresh) {
      if (data.replyToken && !tokenConversation.has(data.replyToken)) {
        tokenConversation.set(data.replyToken, this.replyTokens.verify(data.replyToken) ?? null);
      }
    }
    const threadKeyHits = await this.repository.conversationsByThreadKey(
      sql,
      fresh.map(({ data }) => ({ inboxId: data.inboxId, threadKey: data.threadKey })),
    );
    const byThreadKey = new Map<string, string[]>();
    for (const hit of threadKeyHits) {
      const key = inboxScopedKey(hit.inboxId, hit.threadKey);
      byThreadKey.set(key, [...(byThreadKey.get(key) ?? []), hit.id]);
    }

    // 4. lock every candidate (id order), following merges
    const views = new Map<string, ConversationView>();
    let toLock = [
      ...[...tokenConversation.values()].filter((id): id is string => id !== null),
      ...referenced.values(),
      ...threadKeyHits.map((hit) => hit.id),
    ];
    for (let hop = 0; toLock.length > 0 && hop <= MAX_MERGE_HOPS; hop += 1) {
      const locked = await this.conversations.lockViews(sql, toLock);
      for (const view of locked) views.set(view.conversation.id, view);
      toLock = locked.map((view) => view.conversation.mergedIntoId).filter((id): id is string => id !== null && !views.has(id));
    }
    const resolveMerged = (id: string): string => {
      let current = id;
      for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
        const next = views.get(current)?.conversation.mergedIntoId;
        if (!next || !views.has(next)) break;
        current = next;
      }
      return current;
    };
    // participants matter only where a sender is not the candidate conversation's contact
    const needParticipants = new Set<string>();
    for (const { data } of fresh) {
      const contactId = (identities.get(identityKey(data.channelType, data.sender.externalId)) as ResolvedIdentity).contactId;
      const token = data.replyToken ? tokenConversation.get(data.replyToken) : null;
      const candidates = [
        ...(token ? [token] : []),
        ...referencesOf(data).map((ref) => referenced.get(inboxScopedKey(data.inboxId, ref))).filter(isString),
        ...(byThreadKey.get(inboxScopedKey(data.inboxId, data.threadKey)) ?? []),
      ];
      for (const candidate of candidates) {
        const view = views.get(resolveMerged(candidate));
        if (view && view.conversation.contactId !== contactId) needParticipants.add(view.conversation.id);
      }
    }
    const participants = new Map<string, Set<string>>();
    for (const row of await this.repository.participants(sql, [...needParticipants])) {
      const set = participants.get(row.conversationId) ?? new Set<string>();
      set.add(row.address);
      participants.set(row.conversationId, set);
    }

    // 5. decide and apply, message by message, in partition order
    const created: ConversationEntity[] = [];
    const changed = new Set<string>();
    const messages: MessageEntity[] = [];
    const newParticipants: ParticipantRow[] = [];
    const trail: ConversationEventRecord[] = [];
    const pending: PendingOutbox[] = [];
    const createdIds = new Set<string>();
    const forBots: MessageForBot[] = [];

    for (const item of fresh) {
      withMessageContext(item.bus, () => {
        const data = item.data;
        const inbox = inboxes.get(data.inboxId) as InboxProfile;
        const identity = identities.get(identityKey(data.channelType, data.sender.externalId)) as ResolvedIdentity;
        const senderAddresses = unique([data.sender.externalId, data.sender.email].filter(isString).map((a) => a.trim().toLowerCase()));
        const tokenTarget = data.replyToken ? (tokenConversation.get(data.replyToken) ?? null) : null;
        const referencedConversationIds = unique(
          referencesOf(data)
            .map((ref) => referenced.get(inboxScopedKey(data.inboxId, ref)))
            .filter(isString)
            .map(resolveMerged),
        );
        const threadKeyConversationIds = unique((byThreadKey.get(inboxScopedKey(data.inboxId, data.threadKey)) ?? []).map(resolveMerged));
        const lookup = (id: string): ThreadCandidate | undefined => {
          const view = views.get(id);
          if (!view || view.conversation.inboxId !== data.inboxId || view.conversation.mergedIntoId) return undefined;
          const c = view.conversation;
          return { conversationId: c.id, contactId: c.contactId, status: c.status, resolvedAt: c.resolvedAt, participants: participants.get(c.id) ?? EMPTY };
        };
        const receivedAt = new Date(data.receivedAt);
        const decision = this.resolver.decide(
          {
            senderContactId: identity.contactId,
            senderAddresses,
            replyTokenConversationId: tokenTarget ? resolveMerged(tokenTarget) : null,
            replyTokenInvalid: Boolean(data.replyToken) && tokenTarget === null,
            referencedConversationIds,
            threadKeyConversationIds,
            newConversationAfterDays: inbox.newConversationAfterDays,
            now: receivedAt,
          },
          lookup,
        );
        const preview = data.text || data.subject || (data.attachments.length > 0 ? `[${data.attachments.length} attachment(s)]` : '');

        let view: ConversationView;
        if (decision.kind === 'new') {
          const conversation = this.lifecycle.openFromInbound(
            {
              id: newId(),
              inboxId: data.inboxId,
              contactId: identity.contactId,
              threadKey: data.threadKey,
              subject: data.subject ?? null,
              at: receivedAt,
              autoReply: data.autoReply,
              linkedConversationId: decision.linkedConversationId,
            },
            inbox,
          );
          this.lifecycle.applyInbound(conversation, receivedAt, true, preview, inbox);
          conversation.version = 1;
          view = { conversation, channel: inbox.channelType, contactName: identity.contactName, assigneeName: null, teamName: inbox.defaultTeamName };
          views.set(conversation.id, view);
          participants.set(conversation.id, new Set());
          const key = inboxScopedKey(data.inboxId, data.threadKey);
          byThreadKey.set(key, [conversation.id, ...(byThreadKey.get(key) ?? [])]);
          created.push(conversation);
          createdIds.add(conversation.id);
          trail.push({
            conversationId: conversation.id,
            actor: { type: 'contact', id: identity.contactId },
            action: 'created',
            reason: decision.reason,
            data: { status: conversation.status, linkedConversationId: decision.linkedConversationId },
          });
          pending.push({ record: InboxEventFactory.conversationCreated(view, { action: 'created', actor: null, reason: decision.reason }), messageId: null });
        } else {
          view = views.get(decision.conversationId) as ConversationView;
          const transition = this.lifecycle.applyInbound(view.conversation, receivedAt, data.autoReply, preview, inbox);
          if (!createdIds.has(view.conversation.id)) changed.add(view.conversation.id);
          if (transition) {
            trail.push({
              conversationId: view.conversation.id,
              actor: { type: 'contact', id: identity.contactId },
              action: 'status_changed',
              reason: transition.reason,
              data: { from: transition.from, to: transition.to },
            });
            pending.push({
              record: InboxEventFactory.conversationUpdated(view, { action: 'status_changed', actor: null, reason: transition.reason }),
              messageId: null,
            });
          }
        }

        const conversationParticipants = participants.get(view.conversation.id) ?? new Set<string>();
        for (const address of participantAddresses(data)) {
          if (inbox.ownAddresses.has(address) || senderAddresses.includes(address) || conversationParticipants.has(address)) continue;
          conversationParticipants.add(address);
          newParticipants.push({ conversationId: view.conversation.id, address, source: 'inbound' });
        }
        participants.set(view.conversation.id, conversationParticipants);

        const message: MessageEntity = {
          id: newId(),
          conversationId: view.conversation.id,
          inboxId: data.inboxId,
          direction: 'inbound',
          senderType: 'contact',
          senderId: identity.contactId,
          kind: 'message',
          subject: data.subject ?? null,
          text: data.text,
          html: data.html ?? null,
          quotedText: data.quotedText ?? null,
          attachments: data.attachments,
          refusedAttachments: data.refusedAttachments,
          externalId: data.externalId,
          inReplyTo: data.inReplyTo ?? null,
          references: data.references,
          deliveryStatus: 'received',
          failureCode: null,
          failureReason: null,
          threadingReason: decision.reason,
          autoReply: data.autoReply,
          pinned: false,
          channelMetadata: Object.keys(data.channelMetadata).length > 0 ? data.channelMetadata : null,
          sentAt: new Date(data.sentAt),
          editedAt: null,
          createdAt: new Date(),
        };
        messages.push(message);
        referenced.set(inboxScopedKey(data.inboxId, data.externalId), view.conversation.id);
        const event = InboxEventFactory.messageCreated(view, message);
        pending.push({ record: event, messageId: message.id });
        if (view.conversation.status === 'bot') forBots.push({ view, message, eventId: event.eventId });
      });
    }

    // 6. write
    await this.conversations.insert(sql, created);
    const inserted = await this.repository.insertMessages(sql, messages);
    await this.repository.insertParticipants(sql, newParticipants);
    await this.conversations.save(
      sql,
      [...changed].map((id) => (views.get(id) as ConversationView).conversation),
      ConversationLifecycle.INBOUND_FIELDS,
    );
    await this.conversationEvents.append(sql, trail);
    await this.outbox.enqueue(
      sql,
      pending.filter((entry) => entry.messageId === null || inserted.has(entry.messageId)).map((entry) => entry.record),
    );

    // 7. the bots' share, after the messages' own events: a handoff's conversation.updated follows them
    const bots = await this.bots.handle(
      sql,
      forBots.filter((item) => inserted.has(item.message.id)),
    );

    outcome.stored = inserted.size;
    outcome.duplicates += messages.length - inserted.size;
    outcome.conversationsCreated = created.length;
    outcome.queuedForBots = bots.queued;
    outcome.handedOff = bots.handedOff.length;
    outcome.queued = unique([...created.map((c) => c.id), ...changed, ...bots.handedOff]).filter((id) => views.get(id)?.conversation.status === 'queued');
  }

  /** a customer edited a message: new text, message.updated */
  private async applyEdit(sql: SqlExecutor, item: Extract<DecodedInbound, { kind: 'edit' }>): Promise<number> {
    const found = await this.repository.lockMessageByExternalId(sql, item.data.inboxId, item.data.externalId);
    if (!found) return 0;
    const editedAt = new Date(item.data.editedAt);
    if (found.message.editedAt && found.message.editedAt.getTime() >= editedAt.getTime()) return 0;
    found.message.text = item.data.text;
    found.message.html = item.data.html ?? null;
    found.message.editedAt = editedAt;
    await this.repository.saveMessageEdit(sql, found.message);
    await this.outbox.enqueue(sql, [withMessageContext(item.bus, () => InboxEventFactory.messageUpdated(found.view, found.message))]);
    return 1;
  }
}

function referencesOf(data: InboundMessage): string[] {
  const refs = data.inReplyTo ? [data.inReplyTo] : [];
  for (let index = data.references.length - 1; index >= 0; index -= 1) refs.push(data.references[index]);
  return unique(refs);
}

function participantAddresses(data: InboundMessage): string[] {
  const p = data.participants;
  if (!p) return [];
  return unique([...p.to, ...p.cc, ...p.replyTo].map((entry) => entry.address.trim().toLowerCase()).filter((a) => a.length > 0));
}

function uniquePairs(pairs: ReadonlyArray<{ inboxId: string; externalId: string }>): Array<{ inboxId: string; externalId: string }> {
  const map = new Map<string, { inboxId: string; externalId: string }>();
  for (const pair of pairs) map.set(inboxScopedKey(pair.inboxId, pair.externalId), pair);
  return [...map.values()];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function isString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
