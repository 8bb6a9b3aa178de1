import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BlobTooLargeError, type BlobStore } from '@switchboard/common';
import { verifyHmacSha256Hex } from '@switchboard/common/crypto';
import { ConnectorError } from '@switchboard/connector-sdk';
import {
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationFailedError,
} from '@switchboard/common/errors';
import { newId } from '@switchboard/common/ids';
import type { z } from 'zod';
import type { GatewayConfig } from '../gateway.config';
import { InboxApiClient } from '../inbox-client/inbox-api.client';
import { createSessionSchema, historyQuerySchema, sendVisitorMessageSchema } from './dto/webchat.schemas';
import { FanoutVisitorChannel } from './fanout-visitor.channel';
import { InboxKeys } from './inbox-keys.service';
import { VisitorFiles } from './visitor-files.service';
import { VisitorIdentity } from './visitor-identity';
import { VisitorTokenService } from './visitor-token.service';
import { WebchatInbox, WebchatInboxRegistry } from './webchat-inbox.registry';
import type { Visitor, VisitorMessage } from './webchat-payload';
import { WEBCHAT_BLOBS } from './webchat.tokens';
import { WebchatConnector } from './webchat.connector';

interface StoredVisitorMessage {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  senderType: VisitorMessage['senderType'];
  senderName: string | null;
  text: string;
  attachments: Array<{ key: string; name: string; size: number; contentType: string }>;
  externalId: string | null;
  createdAt: string;
}

export interface SessionCreated {
  visitorToken: string;
  conversationId: string;
  expiresIn: number;
  verified: boolean;
}

/**
 * The web chat's public side: sessions (a signed token bound to one inbox and one thread, with
 * optional identity verification), the visitor's history, sending (through the connector, to
 * inbox.inbound.v1) and attachments.
 */
@Injectable()
export class WebchatService {
  constructor(
    private readonly registry: WebchatInboxRegistry,
    private readonly connector: WebchatConnector,
    private readonly tokens: VisitorTokenService,
    private readonly files: VisitorFiles,
    private readonly visitors: FanoutVisitorChannel,
    private readonly inbox: InboxApiClient,
    private readonly keys: InboxKeys,
    @Inject(WEBCHAT_BLOBS) private readonly blobs: BlobStore,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** the inbox of a public key, for a page on `origin` */
  async inboxForKey(inboxKey: string, origin: string | undefined): Promise<WebchatInbox> {
    let inbox = this.registry.byPublicKey(inboxKey);
    if (!inbox && /^[A-Za-z0-9_-]{1,200}$/.test(inboxKey)) {
      const inboxId = await this.keys.inboxIdOf(inboxKey);
      inbox = inboxId ? this.registry.byId(inboxId) : undefined;
    }
    if (!inbox) throw new NotFoundError('No web chat with this key', { code: 'INBOX_NOT_FOUND' });
    this.checkOrigin(inbox, origin);
    return inbox;
  }

  /** the inbox of a visitor, for a page on `origin` */
  inboxOf(visitor: Visitor, origin: string | undefined): WebchatInbox {
    const inbox = this.registry.byId(visitor.inboxId);
    if (!inbox) throw new NotFoundError('This chat is not available any more', { code: 'INBOX_NOT_FOUND' });
    this.checkOrigin(inbox, origin);
    return inbox;
  }

  async createSession(
    body: z.output<typeof createSessionSchema>,
    origin: string | undefined,
  ): Promise<SessionCreated> {
    const inbox = await this.inboxForKey(body.inboxKey, origin);
    let visitor: Visitor;
    if (body.identifier !== undefined && inbox.identitySecret) {
      if (!body.identifierHash)
        throw new UnauthorizedError('identifierHash is required: this chat verifies identities', {
          code: 'IDENTITY_VERIFICATION_REQUIRED',
        });
      if (!verifyHmacSha256Hex(inbox.identitySecret, body.identifier, body.identifierHash)) {
        throw new UnauthorizedError('identifierHash does not match identifier', {
          code: 'IDENTITY_VERIFICATION_FAILED',
        });
      }
      const threadId = VisitorIdentity.threadOfUser(inbox.inboxId, body.identifier);
      visitor = {
        inboxId: inbox.inboxId,
        threadId,
        externalId: VisitorIdentity.externalIdOfUser(body.identifier),
        name: body.name,
        email: body.email,
        verified: true,
      };
    } else {
      // without an identity secret an identifier proves nothing: the visitor is anonymous
      const threadId = newId();
      visitor = {
        inboxId: inbox.inboxId,
        threadId,
        externalId: VisitorIdentity.externalIdOfVisitor(threadId),
        name: body.name,
        email: body.email,
        verified: false,
      };
    }
    return {
      visitorToken: this.tokens.sign(visitor),
      conversationId: visitor.threadId,
      expiresIn: this.tokens.ttlSeconds,
      verified: visitor.verified,
    };
  }

  async history(
    visitor: Visitor,
    query: z.output<typeof historyQuerySchema>,
  ): Promise<{ items: VisitorMessage[] }> {
    const stored = await this.inbox.call<{ items: StoredVisitorMessage[] }>({
      method: 'GET',
      path: '/webchat/messages',
      query: {
        inboxId: visitor.inboxId,
        threadKey: visitor.threadId,
        before: query.before,
        limit: query.limit,
      },
    });
    return {
      items: stored.items.map((message) => ({
        id: message.direction === 'inbound' && message.externalId ? message.externalId : message.id,
        conversationId: visitor.threadId,
        direction: message.direction,
        senderType: message.senderType,
        senderName: message.direction === 'inbound' ? (visitor.name ?? null) : message.senderName,
        text: message.text,
        attachments: (message.attachments ?? []).map((ref) => ({
          name: ref.name,
          size: ref.size,
          contentType: ref.contentType,
          url: this.files.link(visitor.inboxId, visitor.threadId, ref.key),
        })),
        createdAt: message.createdAt,
      })),
    };
  }

  async send(
    visitor: Visitor,
    body: z.output<typeof sendVisitorMessageSchema>,
    origin: string | undefined,
  ): Promise<VisitorMessage> {
    const inbox = this.inboxOf(visitor, origin);
    const attachments = body.attachments.map((token, index) =>
      this.files.fromUploadToken(visitor.threadId, token, `attachments.${index}`),
    );
    const receivedAt = new Date().toISOString();
    const clientId = body.clientMessageId ?? WebchatConnector.newMessageId();
    const raw = {
      visitor,
      message: {
        id: clientId,
        text: body.text,
        attachments,
        receivedAt,
        pageUrl: body.pageUrl,
        language: body.language,
      },
    };
    let messages;
    try {
      messages = await this.connector.normalize(
        raw,
        {
          inboxId: inbox.inboxId,
          name: inbox.name,
          version: 0,
          settings: { allowedOrigins: [...inbox.allowedOrigins] },
          secrets: {},
        },
        this.blobs,
      );
      await inbox.context.emit(messages);
    } catch (error) {
      if (error instanceof ConnectorError && error.code === 'INVALID_PAYLOAD')
        throw new ValidationFailedError([{ path: 'text', message: error.message }]);
      throw new DomainError(
        'CHANNEL_UNAVAILABLE',
        'The message could not be taken; try again',
        503,
        {},
        { cause: error },
      );
    }
    const message: VisitorMessage = {
      id: messages[0].externalId,
      conversationId: visitor.threadId,
      direction: 'inbound',
      senderType: 'contact',
      senderName: visitor.name ?? null,
      text: body.text,
      attachments: attachments.map((ref) => ({
        name: ref.name,
        size: ref.size,
        contentType: ref.contentType,
        url: this.files.link(visitor.inboxId, visitor.threadId, ref.key),
      })),
      createdAt: receivedAt,
    };
    // the visitor's other tabs (on any instance) see it too; the inbox has it already, so the answer does not wait for it
    void this.visitors.visitorMessage(visitor.inboxId, visitor.threadId, message).catch(() => undefined);
    return message;
  }

  async upload(
    visitor: Visitor,
    origin: string | undefined,
    input: { stream: Readable; name: string; contentType: string; length?: number },
  ) {
    const inbox = this.inboxOf(visitor, origin);
    const limit = Math.min(
      inbox.maxAttachmentBytes ?? this.config.WEBCHAT_MAX_ATTACHMENT_BYTES,
      this.config.WEBCHAT_MAX_ATTACHMENT_BYTES,
    );
    const allowed =
      inbox.allowedContentTypes ??
      this.config.WEBCHAT_ALLOWED_CONTENT_TYPES.split(',')
        .map((type) => type.trim())
        .filter(Boolean);
    const contentType = input.contentType.split(';')[0].trim().toLowerCase();
    if (!contentTypeAllowed(contentType, allowed)) {
      input.stream.resume();
      throw new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        `files of type ${contentType || 'unknown'} are not accepted here`,
        415,
        { allowed },
      );
    }
    if (input.length !== undefined && input.length > limit) {
      input.stream.resume();
      throw new PayloadTooLargeError(`the file is larger than ${limit} bytes`, { details: { limit } });
    }
    const name = safeFileName(input.name);
    try {
      const ref = await this.blobs.put({ name, contentType, data: input.stream, maxBytes: limit });
      return {
        token: this.files.uploadToken(visitor.threadId, ref),
        name: ref.name,
        size: ref.size,
        contentType: ref.contentType,
      };
    } catch (error) {
      if (error instanceof BlobTooLargeError)
        throw new PayloadTooLargeError(`the file is larger than ${limit} bytes`, { details: { limit } });
      throw error;
    }
  }

  async file(query: { inbox: string; thread: string; key: string; sig: string }): Promise<Readable> {
    if (!this.files.verifyLink(query.inbox, query.thread, query.key, query.sig))
      throw new ForbiddenError('This link is not valid', { code: 'INVALID_LINK' });
    try {
      return await this.blobs.stream(query.key);
    } catch {
      throw new NotFoundError('No such file', { code: 'FILE_NOT_FOUND' });
    }
  }

  private checkOrigin(inbox: WebchatInbox, origin: string | undefined): void {
    if (!WebchatInboxRegistry.allows(inbox, origin))
      throw new ForbiddenError('This site may not use this chat', { code: 'ORIGIN_NOT_ALLOWED' });
  }
}

function contentTypeAllowed(contentType: string, allowed: readonly string[]): boolean {
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(contentType)) return false;
  return allowed.some(
    (entry) => entry === contentType || (entry.endsWith('/*') && contentType.startsWith(entry.slice(0, -1))),
  );
}

/** a plain file name (no path, no control characters), for display and Content-Disposition */
function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f && !'"<>'.includes(char))
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}
