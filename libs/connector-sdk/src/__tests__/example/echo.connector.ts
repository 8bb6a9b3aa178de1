import type { BlobStore, InboundMessageInput } from '@switchboard/common';
import type { ChannelConnector, InboxContext, InboxRuntimeConfig } from '../../connector';
import { ConnectorError } from '../../errors';
import { EchoSettings, echoUpdateSchema } from './echo-payload';
import { EchoSession } from './echo-session';
import { EchoTransportError } from './echo-transport-error';
import { echoManifest } from './echo.manifest';

const TRANSIENT_SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * The example connector that proves the host and the contract suite: a Telegram-like channel
 * whose sessions live in memory. It logs its API token on purpose (inside a URL, as real HTTP
 * clients do) so the tests can show that the host masks it.
 */
export class EchoConnector implements ChannelConnector<EchoSettings, unknown> {
  readonly manifest = echoManifest;
  /** the latest session of each inbox */
  readonly sessions = new Map<string, EchoSession>();
  /** every start call, in order */
  readonly starts: Array<InboxRuntimeConfig<EchoSettings>> = [];
  /** runs at the beginning of start(); throw from it to fail the start */
  startHook: ((config: InboxRuntimeConfig<EchoSettings>) => void | Promise<void>) | undefined;

  async start(config: InboxRuntimeConfig<EchoSettings>, context: InboxContext): Promise<EchoSession> {
    this.starts.push(config);
    context.logger.info('echo inbox connecting', {
      url: `https://echo.test/bot${config.secrets.apiToken}/connect`,
    });
    await this.startHook?.(config);
    const session = new EchoSession(config, context, (raw) => this.normalize(raw, config, context.blobs));
    this.sessions.set(config.inboxId, session);
    return session;
  }

  async normalize(
    raw: unknown,
    config: InboxRuntimeConfig<EchoSettings>,
    blobs: BlobStore,
  ): Promise<InboundMessageInput[]> {
    const parsed = echoUpdateSchema.safeParse(raw);
    if (!parsed.success)
      throw new ConnectorError(
        'INVALID_PAYLOAD',
        `not an echo update: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    const { message } = parsed.data;
    const chatId = String(message.chat.id);
    const attachments = [];
    const refusedAttachments = [];
    if (message.attachment) {
      const data = Buffer.from(message.attachment.base64, 'base64');
      if (data.length > config.settings.maxAttachmentBytes) {
        refusedAttachments.push({ name: message.attachment.name, size: data.length, reason: 'too large' });
      } else {
        attachments.push(
          await blobs.put({
            name: message.attachment.name,
            contentType: message.attachment.content_type,
            data,
          }),
        );
      }
    }
    return [
      {
        inboxId: config.inboxId,
        channelType: this.manifest.channelType,
        externalId: `${chatId}:${message.message_id}`,
        threadKey: chatId,
        sender: {
          externalId: String(message.from.id),
          displayName: message.from.first_name,
          username: message.from.username,
        },
        sentAt: new Date(message.date * 1000).toISOString(),
        receivedAt: new Date().toISOString(),
        text: message.text ?? '',
        attachments,
        refusedAttachments,
        references: message.reply_to_message_id ? [`${chatId}:${message.reply_to_message_id}`] : [],
        inReplyTo: message.reply_to_message_id ? `${chatId}:${message.reply_to_message_id}` : undefined,
        channelMetadata: { updateId: parsed.data.update_id },
      },
    ];
  }

  classifyError(error: unknown): ConnectorError {
    if (ConnectorError.is(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    const details = error instanceof EchoTransportError ? error.details : {};
    const code = details.code ?? (error as NodeJS.ErrnoException | undefined)?.code;
    if (details.status === 429) {
      return new ConnectorError('RATE_LIMITED', message, {
        retryAfterMs: (details.retryAfterSeconds ?? 1) * 1000,
        cause: error,
      });
    }
    if (details.status === 401) return new ConnectorError('AUTH_INVALID', message, { cause: error });
    if (details.status === 403) return new ConnectorError('PERMISSION', message, { cause: error });
    if (details.status === 404) return new ConnectorError('NOT_FOUND', message, { cause: error });
    if (details.status === 400) return new ConnectorError('INVALID_PAYLOAD', message, { cause: error });
    if (details.status !== undefined && details.status >= 500)
      return new ConnectorError('TEMPORARY', message, { cause: error });
    if (code !== undefined && TRANSIENT_SOCKET_CODES.has(code))
      return new ConnectorError('TEMPORARY', message, { cause: error });
    return new ConnectorError('TEMPORARY', message, { cause: error });
  }
}
