import { createHash } from 'node:crypto';

/** Helpers for visitor identities and their threads. */
export class VisitorIdentity {
  /** a verified user's thread is the same on every device: a UUID derived from inbox and identifier */
  static threadOfUser(inboxId: string, identifier: string): string {
    const bytes = createHash('sha256')
      .update(`switchboard-webchat:${inboxId}:${identifier}`)
      .digest()
      .subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8 (custom)
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  static externalIdOfUser(identifier: string): string {
    return `user:${identifier}`;
  }

  static externalIdOfVisitor(threadId: string): string {
    return `visitor:${threadId}`;
  }

  /** the thread of a recipient external id (outbound typing only names the recipient) */
  static threadOfRecipient(inboxId: string, externalId: string): string | undefined {
    if (externalId.startsWith('visitor:')) return externalId.slice('visitor:'.length);
    if (externalId.startsWith('user:'))
      return VisitorIdentity.threadOfUser(inboxId, externalId.slice('user:'.length));
    return undefined;
  }
}
