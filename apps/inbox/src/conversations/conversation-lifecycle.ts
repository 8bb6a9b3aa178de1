import type { ConversationEntity, ConversationStatus } from '../persistence/entities/conversation.entity';

/** The inbox policies the lifecycle needs. */
export interface InboxPolicy {
  botId: string | null;
  defaultTeamId: string | null;
  sticky: boolean;
  firstResponseSlaSeconds: number | null;
  resolutionSlaSeconds: number | null;
}

export interface StatusTransition {
  from: ConversationStatus;
  to: ConversationStatus;
  reason: string;
}

export interface NewConversationInput {
  id: string;
  inboxId: string;
  contactId: string;
  threadKey: string;
  subject: string | null;
  at: Date;
  autoReply: boolean;
  linkedConversationId: string | null;
}

const PREVIEW_LENGTH = 200;

/** Statuses that count against an operator's capacity. */
export const ACTIVE_STATUSES: readonly ConversationStatus[] = ['open', 'pending', 'snoozed'];

/**
 * Conversation status rules (DESIGN.md): bot → queued → open ⇄ pending / snoozed → resolved, and
 * what an inbound or outbound message does to a conversation. Pure: mutates the record in memory,
 * the caller persists it.
 */
export class ConversationLifecycle {
  /** a conversation opened by an inbound message: `bot` when the inbox has a bot, else `queued` */
  openFromInbound(input: NewConversationInput, policy: InboxPolicy): ConversationEntity {
    const status: ConversationStatus = policy.botId ? 'bot' : 'queued';
    const waitingSince = input.autoReply ? null : input.at;
    return {
      id: input.id,
      inboxId: input.inboxId,
      contactId: input.contactId,
      threadKey: input.threadKey,
      subject: input.subject,
      status,
      priority: 0,
      type: null,
      labels: [],
      attributes: {},
      assigneeId: null,
      teamId: policy.defaultTeamId,
      previousAssigneeId: null,
      preferredAssigneeId: null,
      requeuedFromId: null,
      requiredSkills: [],
      language: null,
      waitingSince,
      firstResponseAt: null,
      firstResponseDueAt: this.dueAt(waitingSince, policy.firstResponseSlaSeconds),
      resolutionDueAt: this.dueAt(input.autoReply ? null : input.at, policy.resolutionSlaSeconds),
      lastInboundAt: input.autoReply ? null : input.at,
      lastOutboundAt: null,
      lastMessageAt: input.at,
      lastMessagePreview: null,
      assignedAt: null,
      snoozedUntil: null,
      resolvedAt: null,
      linkedConversationId: input.linkedConversationId,
      mergedIntoId: null,
      version: 1,
      createdAt: input.at,
      updatedAt: input.at,
    };
  }

  /** every field applyInbound may change (ingestion writes back only these) */
  static readonly INBOUND_FIELDS: ReadonlyArray<keyof ConversationEntity> = [
    'lastMessageAt',
    'lastMessagePreview',
    'updatedAt',
    'version',
    'lastInboundAt',
    'status',
    'snoozedUntil',
    'resolvedAt',
    'assigneeId',
    'assignedAt',
    'preferredAssigneeId',
    'requeuedFromId',
    'firstResponseAt',
    'resolutionDueAt',
    'waitingSince',
    'firstResponseDueAt',
  ];

  /**
   * A customer message arrived. Auto-replies never reopen a conversation nor start a clock. A
   * resolved conversation reopens: to its bot when the inbox has one, else to the queue — with the
   * previous operator preferred when the inbox is sticky (routing gives it back to them if they are
   * online with free capacity).
   */
  applyInbound(conversation: ConversationEntity, at: Date, autoReply: boolean, preview: string, policy: InboxPolicy): StatusTransition | null {
    conversation.lastMessageAt = maxDate(conversation.lastMessageAt, at);
    conversation.lastMessagePreview = truncate(preview);
    conversation.updatedAt = new Date();
    conversation.version += 1;
    if (autoReply) return null;

    conversation.lastInboundAt = maxDate(conversation.lastInboundAt, at);
    const from = conversation.status;
    let reason = 'inbound_message';
    switch (from) {
      case 'bot':
      case 'queued':
      case 'open':
        break;
      case 'pending':
      case 'snoozed':
        conversation.status = conversation.assigneeId ? 'open' : 'queued';
        conversation.snoozedUntil = null;
        break;
      case 'resolved':
        reason = 'reopened';
        conversation.resolvedAt = null;
        conversation.assigneeId = null;
        conversation.assignedAt = null;
        conversation.preferredAssigneeId = policy.sticky ? conversation.previousAssigneeId : null;
        conversation.requeuedFromId = null;
        conversation.status = policy.botId ? 'bot' : 'queued';
        conversation.firstResponseAt = null;
        conversation.resolutionDueAt = this.dueAt(at, policy.resolutionSlaSeconds);
        break;
    }
    if (!conversation.waitingSince) {
      conversation.waitingSince = at;
      conversation.firstResponseDueAt = conversation.firstResponseAt ? null : this.dueAt(at, policy.firstResponseSlaSeconds);
    }
    return conversation.status === from ? null : { from, to: conversation.status, reason };
  }

  /** an operator or bot wrote to the customer: the clock stops, a first response is recorded */
  applyOutbound(conversation: ConversationEntity, at: Date, preview: string): void {
    conversation.lastOutboundAt = at;
    conversation.lastMessageAt = maxDate(conversation.lastMessageAt, at);
    conversation.lastMessagePreview = truncate(preview);
    conversation.waitingSince = null;
    conversation.firstResponseDueAt = null;
    conversation.firstResponseAt ??= at;
    conversation.updatedAt = new Date();
    conversation.version += 1;
  }

  /** resolved keeps the operator as `previousAssigneeId` (sticky reopen) and frees their capacity */
  resolve(conversation: ConversationEntity, at: Date): StatusTransition | null {
    const from = conversation.status;
    if (from === 'resolved') return null;
    conversation.previousAssigneeId = conversation.assigneeId ?? conversation.previousAssigneeId;
    conversation.assigneeId = null;
    conversation.assignedAt = null;
    conversation.status = 'resolved';
    conversation.resolvedAt = at;
    conversation.snoozedUntil = null;
    conversation.waitingSince = null;
    conversation.firstResponseDueAt = null;
    conversation.resolutionDueAt = null;
    conversation.preferredAssigneeId = null;
    this.touch(conversation);
    return { from, to: 'resolved', reason: 'resolved' };
  }

  private touch(conversation: ConversationEntity): void {
    conversation.updatedAt = new Date();
    conversation.version += 1;
  }

  private dueAt(from: Date | null, seconds: number | null): Date | null {
    return from && seconds ? new Date(from.getTime() + seconds * 1000) : null;
  }
}

function maxDate(a: Date | null, b: Date): Date {
  return a && a.getTime() > b.getTime() ? a : b;
}

/**
 * The preview: the text with every run of white space made one space and none at either end, cut to
 * PREVIEW_LENGTH characters (the last one an ellipsis when cut). It walks only as far as the preview needs:
 * flattening a long text whole, or even a head of it with a regular expression, was a visible share of
 * ingestion's allocations.
 */
function truncate(text: string): string {
  const parts: string[] = [];
  let length = 0;
  let index = 0;
  // one character past the limit tells whether the text is cut
  while (length <= PREVIEW_LENGTH) {
    while (index < text.length && isWhiteSpace(text.charCodeAt(index))) index += 1;
    if (index >= text.length) break;
    if (length > 0) {
      parts.push(' ');
      length += 1;
    }
    const start = index;
    while (index < text.length && !isWhiteSpace(text.charCodeAt(index)) && length + (index - start) <= PREVIEW_LENGTH) index += 1;
    parts.push(text.slice(start, index));
    length += index - start;
  }
  const flat = parts.join('');
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH - 1)}…` : flat;
}

/** what `\s` and String.prototype.trim treat as white space (ECMAScript WhiteSpace and LineTerminator) */
function isWhiteSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}
