import type { OutboundMessage, OutboundTyping } from '@switchboard/common';
import type { InboxContext, InboxRuntimeConfig, InboxSession, SendResult } from '../../connector';
import { ConnectorError } from '../../errors';
import type { EchoSettings } from './echo-payload';

/**
 * A running echo inbox: the test pushes raw updates into it (as a webhook or a poll would), and
 * it records what it is asked to send. Planned failures make the next send calls throw.
 */
export class EchoSession implements InboxSession {
  readonly sent: OutboundMessage[] = [];
  readonly typings: OutboundTyping[] = [];
  sendAttempts = 0;
  stopped = false;
  private readonly planned: unknown[] = [];

  constructor(
    readonly config: InboxRuntimeConfig<EchoSettings>,
    readonly context: InboxContext,
    private readonly normalize: (raw: unknown) => Promise<Parameters<InboxContext['emit']>[0]>,
  ) {}

  /** the next send calls throw these, in order */
  failNextSends(...errors: unknown[]): void {
    this.planned.push(...errors);
  }

  /** one raw update from the vendor: normalized and emitted, or dead-lettered when malformed */
  async receive(raw: unknown): Promise<void> {
    try {
      await this.context.emit(await this.normalize(raw));
    } catch (error) {
      if (ConnectorError.is(error) && error.code === 'INVALID_PAYLOAD') {
        await this.context.deadLetter(raw, error);
        return;
      }
      throw error;
    }
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    this.sendAttempts += 1;
    if (this.planned.length > 0) throw this.planned.shift();
    this.sent.push(message);
    return { externalId: `echo-${this.sent.length}-${message.messageId}` };
  }

  async typing(event: OutboundTyping): Promise<void> {
    this.typings.push(event);
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}
