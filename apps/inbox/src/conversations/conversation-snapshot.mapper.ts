import type { ConversationSnapshot, MessageSnapshot } from '@switchboard/common';
import { CONVERSATION_COLUMNS } from '../persistence/conversation-columns';
import type { MessageEntity } from '../persistence/entities/message.entity';
import { fromRow } from '../persistence/row-mapping';
import type { ConversationView } from './conversation-view';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** the operators a note mentions (kept with the note when it was written) */
function mentionsOf(message: MessageEntity): Array<{ operatorId: string; name: string }> {
  const mentions = message.channelMetadata?.mentions;
  return Array.isArray(mentions) ? (mentions as Array<{ operatorId: string; name: string }>) : [];
}

/** Conversations and messages as the API and the events show them (API.md, "Conversations"). */
export class ConversationSnapshotMapper {
  /** a row selected with CONVERSATION_COLUMNS + CONVERSATION_VIEW_EXTRA_COLUMNS */
  static viewFromRow(row: Record<string, unknown>): ConversationView {
    return {
      conversation: fromRow(CONVERSATION_COLUMNS, row),
      channel: String(row.viewChannel),
      contactName: (row.viewContactName as string | null) ?? null,
      assigneeName: (row.viewAssigneeName as string | null) ?? null,
      teamName: (row.viewTeamName as string | null) ?? null,
    };
  }

  /** the list item / event shape (API.md, "Conversations"): the brief plus what a list shows */
  static conversation(view: ConversationView): ConversationSnapshot {
    const c = view.conversation;
    return {
      ...ConversationSnapshotMapper.conversationBrief(view),
      subject: c.subject,
      lastMessage:
        c.lastMessagePreview !== null ? { text: c.lastMessagePreview, at: iso(c.lastMessageAt) } : null,
      unread: c.waitingSince !== null,
      firstResponseDueAt: iso(c.firstResponseDueAt),
      snoozedUntil: iso(c.snoozedUntil),
      linkedConversationId: c.linkedConversationId,
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
    };
  }

  /** the conversation part of message events: what consumers need to route them (the contract's fields) */
  static conversationBrief(view: ConversationView): ConversationSnapshot {
    const c = view.conversation;
    return {
      id: c.id,
      inboxId: c.inboxId,
      channel: view.channel,
      contact: { id: c.contactId, name: view.contactName },
      status: c.status,
      priority: c.priority,
      type: c.type,
      labels: c.labels,
      assignee: c.assigneeId ? { id: c.assigneeId, name: view.assigneeName ?? '' } : null,
      team: c.teamId ? { id: c.teamId, name: view.teamName ?? '' } : null,
      waitingSince: iso(c.waitingSince),
      version: c.version,
    };
  }

  /** everything about one conversation (GET /conversations/{id}) */
  static conversationDetail(view: ConversationView): ConversationSnapshot {
    const c = view.conversation;
    return {
      ...this.conversation(view),
      attributes: c.attributes,
      requiredSkills: c.requiredSkills,
      language: c.language,
      threadKey: c.threadKey,
      firstResponseAt: iso(c.firstResponseAt),
      resolutionDueAt: iso(c.resolutionDueAt),
      lastInboundAt: iso(c.lastInboundAt),
      lastOutboundAt: iso(c.lastOutboundAt),
      assignedAt: iso(c.assignedAt),
      resolvedAt: iso(c.resolvedAt),
      previousAssigneeId: c.previousAssigneeId,
      mergedIntoId: c.mergedIntoId,
    };
  }

  static message(message: MessageEntity): MessageSnapshot {
    return {
      id: message.id,
      conversationId: message.conversationId,
      direction: message.direction,
      senderType: message.senderType,
      senderId: message.senderId,
      kind: message.kind,
      private: message.kind === 'note',
      subject: message.subject,
      text: message.text,
      html: message.html,
      quotedText: message.quotedText,
      attachments: message.attachments,
      ...(message.refusedAttachments.length > 0 ? { refusedAttachments: message.refusedAttachments } : {}),
      deliveryStatus: message.deliveryStatus,
      ...(message.deliveryStatus === 'failed'
        ? { failureCode: message.failureCode, failureReason: message.failureReason }
        : {}),
      externalId: message.externalId,
      autoReply: message.autoReply,
      pinned: message.pinned,
      createdAt: message.createdAt.toISOString(),
      editedAt: iso(message.editedAt),
      threadingReason: message.threadingReason,
      ...(message.kind === 'note' ? { mentions: mentionsOf(message) } : {}),
    };
  }
}
