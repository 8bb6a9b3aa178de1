import type { OutboundMessage, OutboundTyping } from '@switchboard/common';
import type { InboxSession, SendResult } from '@switchboard/connector-sdk';
import type { TelegramOutboundSender } from './telegram-outbound.sender';

/** What receives updates for a session: a webhook endpoint or a polling loop. */
export interface TelegramReceiver {
  stop(): Promise<void>;
}

/** One running telegram inbox: a receiver (webhook or polling) and the sender. */
export class TelegramInboxSession implements InboxSession {
  private stopped: Promise<void> | null = null;

  constructor(
    readonly mode: 'webhook' | 'polling',
    private readonly receiver: TelegramReceiver,
    private readonly sender: TelegramOutboundSender,
  ) {}

  send(message: OutboundMessage): Promise<SendResult> {
    return this.sender.send(message);
  }

  typing(event: OutboundTyping): Promise<void> {
    return this.sender.typing(event);
  }

  stop(): Promise<void> {
    this.stopped ??= this.receiver.stop();
    return this.stopped;
  }
}
