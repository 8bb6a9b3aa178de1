import { randomUUID } from 'node:crypto';
import type { BlobStore, InboundMessageInput, OutboundMessage, OutboundTyping } from '@switchboard/common';
import {
  ChannelConnector,
  ConnectorError,
  InboxContext,
  InboxRuntimeConfig,
  InboxSession,
  SendResult,
} from '@switchboard/connector-sdk';
import type { VisitorChannel } from './visitor-channel';
import { VisitorIdentity } from './visitor-identity';
import { WebchatDeliveryError } from './webchat-delivery.error';
import { WebchatInboxRegistry } from './webchat-inbox.registry';
import { webchatInboundSchema } from './webchat-payload';
import { webchatManifest, WebchatSettings } from './webchat.manifest';

/**
 * The web chat channel as a ChannelConnector, run by a ConnectorHost inside the gateway:
 * - start(): the inbox is served (its key, allowed origins and identity secret go to the registry
 *   the public /webchat/v1 endpoints look inboxes up in);
 * - normalize(): a visitor's message (as the gateway received it) → an inbound message, keyed by
 *   the visitor's client message id (a retried POST is the same message) in the visitor's thread;
 * - send(): an operator's reply → the visitor's sockets on every instance (through the fan-out);
 *   the host reports it sent, and the visitor finds it in the history on reconnect anyway.
 */
export class WebchatConnector implements ChannelConnector<WebchatSettings, unknown> {
  readonly manifest = webchatManifest;

  constructor(
    private readonly registry: WebchatInboxRegistry,
    private readonly visitors: VisitorChannel,
  ) {}

  async start(config: InboxRuntimeConfig<WebchatSettings>, context: InboxContext): Promise<InboxSession> {
    this.registry.register(config, context);
    context.logger.info('web chat inbox serving', {
      inboxId: config.inboxId,
      origins: config.settings.allowedOrigins.length,
    });
    const { registry, visitors } = this;
    return {
      async send(message: OutboundMessage): Promise<SendResult> {
        if (!registry.byId(message.inboxId))
          throw new WebchatDeliveryError('INBOX_STOPPED', 'the web chat inbox is not served here');
        await visitors.deliver(message);
        return { externalId: `webchat-out:${message.messageId}` };
      },
      async typing(event: OutboundTyping): Promise<void> {
        const threadId = VisitorIdentity.threadOfRecipient(event.inboxId, event.recipient.externalId);
        if (threadId) await visitors.typing(event.inboxId, threadId);
      },
      async stop(): Promise<void> {
        registry.remove(config.inboxId, context);
      },
    };
  }

  async normalize(
    raw: unknown,
    config: InboxRuntimeConfig<WebchatSettings>,
    _blobs: BlobStore,
  ): Promise<InboundMessageInput[]> {
    const parsed = webchatInboundSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConnectorError(
        'INVALID_PAYLOAD',
        `invalid web chat message: ${issue.path.join('.') || 'payload'} ${issue.message}`,
      );
    }
    const { visitor, message } = parsed.data;
    if (visitor.inboxId !== config.inboxId)
      throw new ConnectorError('INVALID_PAYLOAD', 'the visitor belongs to another inbox');
    if (!message.text.trim() && message.attachments.length === 0)
      throw new ConnectorError('INVALID_PAYLOAD', 'an empty message');
    return [
      {
        inboxId: config.inboxId,
        channelType: this.manifest.channelType,
        externalId: `webchat:${visitor.threadId}:${message.id}`,
        threadKey: visitor.threadId,
        sender: {
          externalId: visitor.externalId,
          displayName: visitor.name,
          email: visitor.email,
          language: message.language,
        },
        sentAt: message.receivedAt,
        receivedAt: message.receivedAt,
        text: message.text,
        attachments: message.attachments,
        channelMetadata: {
          verified: visitor.verified,
          ...(message.pageUrl ? { pageUrl: message.pageUrl } : {}),
        },
      },
    ];
  }

  classifyError(error: unknown): ConnectorError {
    if (error instanceof ConnectorError) return error;
    if (error instanceof WebchatDeliveryError) {
      if (error.reason === 'INBOX_STOPPED')
        return new ConnectorError('NOT_FOUND', error.message, { cause: error });
      if (error.reason === 'MESSAGE_INVALID')
        return new ConnectorError('INVALID_PAYLOAD', error.message, { cause: error });
      return new ConnectorError('TEMPORARY', error.message, { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    return new ConnectorError('TEMPORARY', message, { cause: error });
  }

  /** a new client message id (when the visitor's client gave none) */
  static newMessageId(): string {
    return randomUUID().replace(/-/g, '');
  }
}
