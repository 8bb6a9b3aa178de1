import { Injectable } from '@nestjs/common';
import { ConversationHandoff, SYSTEM_REQUEST_ACTOR } from '../conversations/conversation-handoff';
import type { ConversationView } from '../conversations/conversation-view';
import type { MessageEntity } from '../persistence/entities/message.entity';
import type { SqlExecutor } from '../persistence/sql-executor';
import type { InboxBot } from './bot-webhook-delivery.repository';
import { BotWebhookQueue } from './bot-webhook-queue.service';
import { HandoffKeywordMatcher } from './handoff-keywords';

/** A customer's message just stored in a conversation that was with its bot. */
export interface MessageForBot {
  view: ConversationView;
  message: MessageEntity;
  /** the id of the message.created event: the delivery's source, unique in the queue */
  eventId: string;
}

export interface BotInboundOutcome {
  /** deliveries queued for bot webhooks (wake the dispatcher after the commit) */
  queued: number;
  /** conversations handed to humans because the customer asked for one (routing after the commit) */
  handedOff: string[];
}

/**
 * What a bot must hear of a customer's message, decided in the transaction that stores the message
 * (ingestion), so a message is queued for the bot exactly once and in the order the customer wrote:
 * the customer asked for a human (the inbox's keywords, or the defaults) → the conversation is handed
 * off at once and the bot never sees the message; otherwise, when the bot has a webhook, the message
 * goes into the durable delivery queue. The views are the batch's, locked by the caller; a handoff
 * earlier in the same batch means the later messages go to humans only.
 */
@Injectable()
export class BotInboundService {
  constructor(
    private readonly queue: BotWebhookQueue,
    private readonly handoffs: ConversationHandoff,
  ) {}

  async handle(sql: SqlExecutor, messages: readonly MessageForBot[]): Promise<BotInboundOutcome> {
    const outcome: BotInboundOutcome = { queued: 0, handedOff: [] };
    const bots = new Map<string, { bot: InboxBot; wantsHuman: HandoffKeywordMatcher } | null>();
    for (const { view, message, eventId } of messages) {
      const conversation = view.conversation;
      if (conversation.status !== 'bot' || conversation.mergedIntoId) continue;
      if (!bots.has(conversation.inboxId)) {
        const found = await this.queue.inboxBot(sql, conversation.inboxId);
        bots.set(conversation.inboxId, found ? { bot: found, wantsHuman: new HandoffKeywordMatcher(found.handoffKeywords) } : null);
      }
      const entry = bots.get(conversation.inboxId);
      if (!entry) continue;
      if (entry.wantsHuman.matches(message.text)) {
        await this.handoffs.apply(sql, view, SYSTEM_REQUEST_ACTOR, {
          summary: 'The customer asked for a human',
          reason: 'customer_requested_human',
          collected: {},
        });
        outcome.handedOff.push(conversation.id);
        continue;
      }
      if (await this.queue.enqueue(sql, entry.bot, eventId, 'message.created', view, message)) outcome.queued += 1;
    }
    return outcome;
  }
}
