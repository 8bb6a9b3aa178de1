import { Injectable } from '@nestjs/common';
import type { OutboundMessage } from '@switchboard/common';
import { ClusterFanout } from '../realtime/cluster-fanout.service';
import type { VisitorChannel } from './visitor-channel';
import { VisitorFiles } from './visitor-files.service';
import type { VisitorMessage } from './webchat-payload';

/** VisitorChannel over the gateway fan-out: every instance passes it to the visitor's sockets it holds. */
@Injectable()
export class FanoutVisitorChannel implements VisitorChannel {
  constructor(
    private readonly fanout: ClusterFanout,
    private readonly files: VisitorFiles,
  ) {}

  async deliver(message: OutboundMessage): Promise<void> {
    const visitorMessage: VisitorMessage = {
      id: message.messageId,
      conversationId: message.threadKey,
      direction: 'outbound',
      senderType: message.sender.type,
      senderName: message.sender.name ?? null,
      text: message.text,
      attachments: message.attachments.map((ref) => ({
        name: ref.name,
        size: ref.size,
        contentType: ref.contentType,
        url: this.files.link(message.inboxId, message.threadKey, ref.key),
      })),
      createdAt: message.createdAt,
    };
    await this.visitorMessage(message.inboxId, message.threadKey, visitorMessage);
  }

  async typing(inboxId: string, threadId: string, name?: string): Promise<void> {
    await this.fanout.publish(
      { kind: 'visitor-typing', inboxId, threadKey: threadId, state: 'typing', name },
      threadId,
    );
  }

  async visitorMessage(inboxId: string, threadId: string, message: VisitorMessage): Promise<void> {
    await this.fanout.publish(
      { kind: 'visitor-message', inboxId, threadKey: threadId, message: { ...message } },
      threadId,
    );
  }
}
