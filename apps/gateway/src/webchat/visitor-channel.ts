import type { OutboundMessage } from '@switchboard/common';

/** Where the web chat connector hands what goes to visitors (their sockets, on every gateway instance). */
export interface VisitorChannel {
  /** an operator's or bot's message to the visitor of a thread; resolves once every instance can deliver it */
  deliver(message: OutboundMessage): Promise<void>;
  /** "typing…" to the visitor of a thread */
  typing(inboxId: string, threadId: string): Promise<void>;
}
