import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, blobRefSchema, type BlobRef } from '@switchboard/common';
import { deriveKey, hmacSha256, timingSafeEqualStrings } from '@switchboard/common/crypto';
import { ValidationFailedError } from '@switchboard/common/errors';
import type { GatewayConfig } from '../gateway.config';

/**
 * Capabilities for attachments on the web chat: an upload gives the visitor a signed token that
 * names the stored blob and the visitor's thread (a message can only carry the visitor's own
 * uploads), and files shown to a visitor get URLs signed for that thread (an <img> cannot send a
 * bearer token).
 */
@Injectable()
export class VisitorFiles {
  private readonly uploadKey: Buffer;
  private readonly linkKey: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {
    this.uploadKey = deriveKey(config.JWT_SECRET, 'switchboard webchat upload');
    this.linkKey = deriveKey(config.JWT_SECRET, 'switchboard webchat file link');
  }

  uploadToken(threadId: string, ref: BlobRef): string {
    const payload = Buffer.from(JSON.stringify({ t: threadId, r: ref })).toString('base64url');
    return `${payload}.${hmacSha256(this.uploadKey, payload).toString('base64url')}`;
  }

  /** the blob an upload token names, when it is valid for this thread; 400 naming `field` otherwise */
  fromUploadToken(threadId: string, token: string, field: string): BlobRef {
    const [payload, signature] = token.split('.');
    const invalid = new ValidationFailedError([
      { path: field, message: 'is not an upload of this conversation' },
    ]);
    if (
      !payload ||
      !signature ||
      !timingSafeEqualStrings(hmacSha256(this.uploadKey, payload).toString('base64url'), signature)
    )
      throw invalid;
    let decoded: { t?: unknown; r?: unknown };
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        t?: unknown;
        r?: unknown;
      };
    } catch {
      throw invalid;
    }
    const ref = blobRefSchema.safeParse(decoded.r);
    if (decoded.t !== threadId || !ref.success) throw invalid;
    return ref.data;
  }

  /** a URL that lets the visitor of `threadId` download `key` */
  link(inboxId: string, threadId: string, key: string): string {
    const signature = this.linkSignature(inboxId, threadId, key);
    const query = new URLSearchParams({ inbox: inboxId, thread: threadId, key, sig: signature });
    return `${this.config.PUBLIC_URL.replace(/\/+$/, '')}/webchat/v1/files?${query.toString()}`;
  }

  verifyLink(inboxId: string, threadId: string, key: string, signature: string): boolean {
    return timingSafeEqualStrings(this.linkSignature(inboxId, threadId, key), signature);
  }

  private linkSignature(inboxId: string, threadId: string, key: string): string {
    return hmacSha256(this.linkKey, `${inboxId}\n${threadId}\n${key}`).toString('base64url');
  }
}
