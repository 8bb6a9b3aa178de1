import { Inject, Injectable } from '@nestjs/common';
import { cloudEventSchema, ConversationEventTypes, messageChangedSchema, type BusMessage, type MessageChanged } from '@switchboard/common';
import { ConversationHandoff, SYSTEM_REQUEST_ACTOR } from '../conversations/conversation-handoff';
import { ConversationRepository } from '../conversations/conversation.repository';
import { MessageRepository } from '../messages/message.repository';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { ROUTING_TRIGGER, type RoutingTrigger } from '../routing/routing-trigger';
import { BotWebhookQueue } from './bot-webhook-queue.service';
import { BotWebhookDispatcher } from './bot-webhook.dispatcher';
import { HandoffKeywordMatcher } from './handoff-keywords';

interface CustomerMessage {
  eventId: string;
  data: MessageChanged;
}

export interface BotEventsOutcome {
  queued: number;
  handedOff: number;
}

/**
 * inbox.events.v1 → what bots must hear. A customer's message (inbound, from the contact, kind
 * message) in a conversation with its bot either hands the conversation to humans at once — the
 * customer asked for one (the inbox's keywords, or the defaults) and the bot never sees it — or is
 * queued for the bot's webhook (when the bot has one). Every other event is ignored. Each message is
 * handled in its own transaction with the conversation locked and its status re-checked; a
 * redelivered event queues nothing twice (unique on the event id).
 */
@Injectable()
export class BotEventsService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly queue: BotWebhookQueue,
    private readonly handoffs: ConversationHandoff,
    private readonly dispatcher: BotWebhookDispatcher,
    @Inject(ROUTING_TRIGGER) private readonly routing: RoutingTrigger,
  ) {}

  async handle(batch: readonly BusMessage[]): Promise<BotEventsOutcome> {
    const outcome: BotEventsOutcome = { queued: 0, handedOff: 0 };
    for (const item of batch) {
      const event = customerMessageToBot(item);
      if (!event) continue;
      const result = await this.db.transaction(async (sql): Promise<'queued' | 'handed_off' | null> => {
        const { conversation, message } = event.data;
        const bot = await this.queue.inboxBot(sql, conversation.inboxId);
        if (!bot) return null;
        const view = await this.conversations.lockView(sql, conversation.id);
        if (!view || view.conversation.status !== 'bot' || view.conversation.mergedIntoId) return null;
        const stored = await this.messages.byId(sql, message.id);
        if (!stored || stored.conversationId !== conversation.id) return null;
        // written before a later handoff and hand-back: the operator has seen it, the bot starts after it
        const handedBackAt = await this.queue.lastHandbackAt(sql, conversation.id);
        if (handedBackAt && stored.createdAt.getTime() <= handedBackAt.getTime()) return null;
        if (new HandoffKeywordMatcher(bot.handoffKeywords).matches(stored.text)) {
          await this.handoffs.apply(sql, view, SYSTEM_REQUEST_ACTOR, {
            summary: 'The customer asked for a human',
            reason: 'customer_requested_human',
            collected: {},
          });
          return 'handed_off';
        }
        return (await this.queue.enqueue(sql, bot, event.eventId, 'message.created', view, stored)) ? 'queued' : null;
      });
      if (result === 'queued') outcome.queued += 1;
      if (result === 'handed_off') outcome.handedOff += 1;
    }
    if (outcome.handedOff > 0) this.routing.capacityChanged(null);
    if (outcome.queued > 0) this.dispatcher.wake();
    return outcome;
  }
}

/** every event this consumer acts on carries its conversation's snapshot with this status */
const WITH_BOT = Buffer.from('"status":"bot"');

/** the event when it is a customer's message in a conversation that was with its bot, else null (ignored) */
function customerMessageToBot(item: BusMessage): CustomerMessage | null {
  // most of the topic is events of conversations no bot has: one byte search skips them unparsed
  if (item.value.indexOf(WITH_BOT) < 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(item.value.toString('utf8'));
  } catch {
    return null;
  }
  // most of the topic is other events: look at the type before validating anything
  const raw = json as { type?: unknown; data?: { conversation?: { status?: unknown }; message?: { direction?: unknown; senderType?: unknown; kind?: unknown } } } | null;
  if (raw?.type !== ConversationEventTypes.messageCreated || raw.data?.conversation?.status !== 'bot') return null;
  if (raw.data.message?.direction !== 'inbound' || raw.data.message.senderType !== 'contact' || raw.data.message.kind !== 'message') return null;
  const envelope = cloudEventSchema.safeParse(json);
  if (!envelope.success) return null;
  const parsed = messageChangedSchema.safeParse(envelope.data.data);
  if (!parsed.success) return null;
  const { conversation, message } = parsed.data;
  const fromCustomer = message.direction === 'inbound' && message.senderType === 'contact' && message.kind === 'message';
  return fromCustomer && conversation.status === 'bot' ? { eventId: envelope.data.id, data: parsed.data } : null;
}
