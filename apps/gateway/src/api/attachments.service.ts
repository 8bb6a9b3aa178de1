import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BlobTooLargeError, type BlobRef, type BlobStore } from '@switchboard/common';
import { NotFoundError, PayloadTooLargeError, ValidationFailedError } from '@switchboard/common/errors';
import type { Actor } from '../auth/actor';
import { GATEWAY_BLOBS } from '../blobs/blob-store.module';
import type { GatewayConfig } from '../gateway.config';
import { InboxApiClient } from '../inbox-client/inbox-api.client';

interface MessageWithAttachments {
  attachments?: BlobRef[];
}

/**
 * Attachments for operators and bots: uploads (size-limited) give a BlobRef to send with a
 * message; downloads are served only to someone the inbox lets see the conversation, and only
 * for a file that belongs to one of its messages.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @Inject(GATEWAY_BLOBS) private readonly blobs: BlobStore,
    private readonly inbox: InboxApiClient,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async upload(input: {
    stream: Readable;
    name: string;
    contentType: string;
    length?: number;
  }): Promise<BlobRef> {
    const limit = this.config.ATTACHMENT_MAX_BYTES;
    const contentType = input.contentType.split(';')[0].trim().toLowerCase() || 'application/octet-stream';
    if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(contentType)) {
      input.stream.resume();
      throw new ValidationFailedError([{ path: 'content-type', message: 'must be a media type' }]);
    }
    if (input.length !== undefined && input.length > limit) {
      input.stream.resume();
      throw new PayloadTooLargeError(`the file is larger than ${limit} bytes`, { details: { limit } });
    }
    try {
      return await this.blobs.put({
        name: input.name.split(/[\\/]/).pop() || 'file',
        contentType,
        data: input.stream,
        maxBytes: limit,
      });
    } catch (error) {
      if (error instanceof BlobTooLargeError)
        throw new PayloadTooLargeError(`the file is larger than ${limit} bytes`, { details: { limit } });
      throw error;
    }
  }

  /** the file and its ref, when `key` is an attachment of a message of a conversation the actor may see */
  async download(
    actor: Actor,
    conversationId: string,
    key: string,
  ): Promise<{ ref: BlobRef; stream: Readable }> {
    const response = await this.inbox.request({
      method: 'GET',
      path: `/conversations/${encodeURIComponent(conversationId)}/messages`,
      query: { limit: 500 },
      actor,
    });
    if (response.status !== 200) throw InboxApiClient.toError(response);
    const body = response.body as MessageWithAttachments[] | { items?: MessageWithAttachments[] };
    const messages = Array.isArray(body) ? body : (body.items ?? []);
    const ref = messages
      .flatMap((message) => message.attachments ?? [])
      .find((attachment) => attachment.key === key);
    if (!ref)
      throw new NotFoundError('No such attachment in this conversation', { code: 'ATTACHMENT_NOT_FOUND' });
    try {
      return { ref, stream: await this.blobs.stream(key) };
    } catch {
      throw new NotFoundError('The attachment is not stored here', { code: 'ATTACHMENT_NOT_FOUND' });
    }
  }
}
