import { Inject, Injectable, Logger } from '@nestjs/common';
import { GATEWAY_INSTANCE_ID } from '../bus/bus.tokens';
import { ClusterFanout } from '../realtime/cluster-fanout.service';
import { ConversationThreads } from './conversation-threads.service';
import { FanoutVisitorChannel } from './fanout-visitor.channel';
import { WEBCHAT_CHANNEL } from './webchat.manifest';

/** An operator typing in a web chat conversation (presence `typing` from this instance's sockets) → "typing…" on the visitor's side. */
@Injectable()
export class OperatorTypingRelay {
  private readonly logger = new Logger(OperatorTypingRelay.name);

  constructor(
    fanout: ClusterFanout,
    private readonly threads: ConversationThreads,
    private readonly visitors: FanoutVisitorChannel,
    @Inject(GATEWAY_INSTANCE_ID) instanceId: string,
  ) {
    fanout.on('presence', (message) => {
      if (message.origin !== instanceId || message.state !== 'typing') return;
      void this.relay(message.conversationId, message.name).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'typing not relayed to the visitor'),
      );
    });
  }

  private async relay(conversationId: string, name?: string): Promise<void> {
    const thread = await this.threads.threadOf(conversationId);
    if (thread?.channelType !== WEBCHAT_CHANNEL) return;
    await this.visitors.typing(thread.inboxId, thread.threadKey, name);
  }
}
