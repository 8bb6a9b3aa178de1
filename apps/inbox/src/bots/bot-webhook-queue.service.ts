import { Injectable } from '@nestjs/common';
import { newId } from '@switchboard/common/ids';
import { ConversationQueriesService } from '../conversations/conversation-queries.service';
import { ConversationSnapshotMapper } from '../conversations/conversation-snapshot.mapper';
import type { ConversationView } from '../conversations/conversation-view';
import type { MessageEntity } from '../persistence/entities/message.entity';
import type { SqlExecutor } from '../persistence/sql-executor';
import { BotWebhookDeliveryRepository, type BotWebhookEvent, type InboxBot } from './bot-webhook-delivery.repository';

/**
 * Puts an event for a bot into the durable webhook queue, inside the caller's transaction. The body is
 * fixed here, once, so every retry POSTs the same bytes with the same delivery id:
 * `{id, event, conversation: <as GET /api/v1/conversations/{id}>, message: <as in …/messages> | null}`.
 */
@Injectable()
export class BotWebhookQueue {
  constructor(
    private readonly deliveries: BotWebhookDeliveryRepository,
    private readonly queries: ConversationQueriesService,
  ) {}

  inboxBot(sql: SqlExecutor, inboxId: string): Promise<InboxBot | undefined> {
    return this.deliveries.inboxBot(sql, inboxId);
  }

  /** @returns false when the bot has no webhook or the source event was queued before */
  async enqueue(
    sql: SqlExecutor,
    bot: InboxBot,
    sourceEventId: string,
    event: BotWebhookEvent,
    view: ConversationView,
    message: MessageEntity | null,
  ): Promise<boolean> {
    if (!bot.webhookUrl) return false;
    const id = newId();
    const payload = JSON.stringify({
      id,
      event,
      conversation: await this.queries.detail(sql, view),
      message: message ? ConversationSnapshotMapper.message(message) : null,
    });
    return this.deliveries.insert(sql, { id, botId: bot.botId, conversationId: view.conversation.id, sourceEventId, event, payload });
  }
}
