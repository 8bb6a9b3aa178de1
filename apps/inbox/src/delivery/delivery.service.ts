import { Inject, Injectable } from '@nestjs/common';
import {
  CHANNEL_STATUS_TYPE,
  channelStatusSchema,
  cloudEventSchema,
  DELIVERY_RECEIPT_TYPE,
  deliveryReceiptSchema,
  NonRetryableError,
  type BusMessage,
  type ChannelStatus,
  type DeliveryReceipt,
} from '@switchboard/common';
import { withMessageContext } from '@switchboard/common/bus/bus-context';
import { ConversationRepository } from '../conversations/conversation.repository';
import { InboxEventFactory } from '../outbox/inbox-event.factory';
import type { OutboxRecord } from '../outbox/outbox-record';
import { OutboxRepository } from '../outbox/outbox.repository';
import type { InboxDatabase } from '../persistence/inbox-database';
import { INBOX_DATABASE } from '../persistence/persistence.tokens';
import { withoutNul } from '../persistence/without-nul';
import { DeliveryRepository } from './delivery.repository';

type DeliveryItem =
  | { kind: 'receipt'; bus: BusMessage; data: DeliveryReceipt }
  | { kind: 'status'; bus: BusMessage; data: ChannelStatus };

export interface DeliveryOutcome {
  updated: number;
  ignored: number;
  statuses: number;
}

/**
 * inbox.delivery.v1: connectors' receipts (sent with the channel's id / failed with the reason) set
 * the outbound message's delivery status and emit message.updated; channel status reports (e.g.
 * needs_credentials) update the inbox. One transaction per batch; idempotent (a receipt that changes
 * nothing emits nothing, a `failed` never overrides `sent`).
 */
@Injectable()
export class DeliveryService {
  constructor(
    @Inject(INBOX_DATABASE) private readonly db: InboxDatabase,
    private readonly repository: DeliveryRepository,
    private readonly conversations: ConversationRepository,
    private readonly outbox: OutboxRepository,
  ) {}

  async handle(batch: readonly BusMessage[]): Promise<DeliveryOutcome> {
    const items = batch.map((message) => this.decode(message));
    // prepared statements: a batch runs a fixed set of statements, the updates once per receipt
    return this.db.transaction(async (transaction) => {
      const sql = transaction.prepared();
      const outcome: DeliveryOutcome = { updated: 0, ignored: 0, statuses: 0 };
      const receipts = items.filter((item): item is Extract<DeliveryItem, { kind: 'receipt' }> => item.kind === 'receipt');
      const messages = new Map((await this.repository.messages(sql, receipts.map((r) => r.data.messageId))).map((m) => [m.id, m]));
      const views = new Map(
        (await this.conversations.lockViews(sql, [...messages.values()].map((m) => m.conversationId))).map((v) => [v.conversation.id, v]),
      );
      const records: OutboxRecord[] = [];
      for (const item of items) {
        if (item.kind === 'status') {
          const changed = await this.repository.updateChannelStatus(sql, item.data.inboxId, item.data.state, item.data.reason ?? null, new Date(item.data.at));
          if (changed) outcome.statuses += 1;
          continue;
        }
        const message = messages.get(item.data.messageId);
        const view = message ? views.get(message.conversationId) : undefined;
        if (!message || !view || message.direction !== 'outbound') {
          outcome.ignored += 1;
          continue;
        }
        const receipt = item.data;
        if (receipt.status === 'sent') {
          if (message.deliveryStatus === 'sent' && message.externalId === receipt.externalId) {
            outcome.ignored += 1;
            continue;
          }
          await this.repository.markSent(sql, message.id, receipt.externalId);
          message.deliveryStatus = 'sent';
          message.externalId = receipt.externalId;
          message.failureCode = null;
          message.failureReason = null;
        } else {
          if (message.deliveryStatus === 'sent' || (message.deliveryStatus === 'failed' && message.failureReason === receipt.reason)) {
            outcome.ignored += 1;
            continue;
          }
          await this.repository.markFailed(sql, message.id, receipt.code, receipt.reason);
          message.deliveryStatus = 'failed';
          message.failureCode = receipt.code;
          message.failureReason = receipt.reason;
        }
        outcome.updated += 1;
        records.push(withMessageContext(item.bus, () => InboxEventFactory.messageUpdated(view, message)));
      }
      await this.outbox.enqueue(sql, records);
      return outcome;
    });
  }

  private decode(message: BusMessage): DeliveryItem {
    const text = message.value.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new NonRetryableError('delivery record is not JSON');
    }
    // a remote server's error text can hold a NUL, which Postgres cannot store
    if (text.includes('\\u0000')) json = withoutNul(json);
    const envelope = cloudEventSchema.safeParse(json);
    if (!envelope.success) throw new NonRetryableError('delivery record is not a CloudEvent');
    if (envelope.data.type === DELIVERY_RECEIPT_TYPE) {
      const parsed = deliveryReceiptSchema.safeParse(envelope.data.data);
      if (!parsed.success) throw new NonRetryableError(`invalid delivery receipt: ${parsed.error.issues[0]?.message ?? ''}`);
      return { kind: 'receipt', bus: message, data: parsed.data };
    }
    if (envelope.data.type === CHANNEL_STATUS_TYPE) {
      const parsed = channelStatusSchema.safeParse(envelope.data.data);
      if (!parsed.success) throw new NonRetryableError(`invalid channel status: ${parsed.error.issues[0]?.message ?? ''}`);
      return { kind: 'status', bus: message, data: parsed.data };
    }
    throw new NonRetryableError(`unexpected event type on the delivery topic: ${envelope.data.type}`);
  }
}
