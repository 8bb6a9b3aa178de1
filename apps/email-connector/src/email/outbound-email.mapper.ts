import type { BlobStore, OutboundMessage } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import type { Readable } from 'node:stream';
import type { EmailSettings } from './email-settings.schema';
import { ReplyAddressCodec } from './reply-address.codec';

/** What nodemailer's sendMail takes, restricted to what we set. */
export interface OutgoingEmail {
  from: { name: string; address: string };
  to: { name: string; address: string };
  replyTo?: { name: string; address: string };
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers: Record<string, string>;
  attachments: Array<{ filename: string; contentType: string; content: Readable }>;
  envelope: { from: string; to: string[] };
}

/** Reply prefixes of common clients (English, German, Nordic, Dutch, Russian, Persian, Arabic), any number, any case. */
const REPLY_PREFIX = /^\s*((re|aw|sv|vs|antw|ref|ответ|на|رد|پاسخ)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*)+/i;
const MESSAGE_ID = /^<[^<>\s]+>$/;

/**
 * Builds the email for an outbound message (DESIGN.md, "Email threading"): our own Message-ID
 * `<messageId@domain-of-the-inbox-address>` (the same outbound message always gets the same one, so
 * a retried send is recognisably the same mail), In-Reply-To / References from the message
 * (In-Reply-To appended to References when missing), Reply-To = the inbox's plus-address with the
 * signed reply token, `Re: ` exactly once on replies, text + html, attachments streamed from the
 * BlobStore, `Auto-Submitted: auto-replied` when a bot or the system writes (RFC 3834, so that
 * auto-responders do not answer).
 */
export class OutboundEmailMapper {
  private readonly codec: ReplyAddressCodec;
  private readonly domain: string;

  constructor(private readonly settings: Pick<EmailSettings, 'address' | 'fromName'>) {
    this.codec = new ReplyAddressCodec(settings.address);
    this.domain = settings.address.slice(settings.address.lastIndexOf('@') + 1).toLowerCase();
  }

  /** the Message-ID this message is sent with */
  messageIdOf(message: Pick<OutboundMessage, 'messageId'>): string {
    return `<${message.messageId}@${this.domain}>`;
  }

  async map(message: OutboundMessage, blobs: BlobStore): Promise<OutgoingEmail> {
    const address = (message.recipient.email ?? message.recipient.externalId).trim();
    if (!/^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/.test(address)) {
      throw new ConnectorError('INVALID_PAYLOAD', `the recipient has no valid email address: ${JSON.stringify(address).slice(0, 200)}`);
    }
    const inReplyTo = message.inReplyTo && MESSAGE_ID.test(message.inReplyTo) ? message.inReplyTo : undefined;
    const references = [...new Set(message.references.filter((id) => MESSAGE_ID.test(id)))];
    if (inReplyTo && references[references.length - 1] !== inReplyTo) {
      const at = references.indexOf(inReplyTo);
      if (at >= 0) references.splice(at, 1);
      references.push(inReplyTo);
    }
    const isReply = inReplyTo !== undefined || references.length > 0;
    // the inbox's name, not the operator's: operators' names stay inside the contact center
    const fromName = this.settings.fromName ?? '';
    const replyAddress = message.replyToken ? this.codec.encode(message.replyToken) : null;
    const attachments = [];
    for (const ref of message.attachments) {
      attachments.push({ filename: ref.name, contentType: ref.contentType, content: await blobs.stream(ref.key) });
    }
    const headers: Record<string, string> = {};
    if (message.sender.type !== 'operator') headers['Auto-Submitted'] = 'auto-replied';
    return {
      from: { name: fromName, address: this.settings.address },
      to: { name: message.recipient.displayName ?? '', address },
      ...(replyAddress ? { replyTo: { name: fromName, address: replyAddress } } : {}),
      subject: this.subject(message.subject, isReply),
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
      messageId: this.messageIdOf(message),
      ...(inReplyTo ? { inReplyTo } : {}),
      ...(references.length > 0 ? { references } : {}),
      headers,
      attachments,
      envelope: { from: this.settings.address, to: [address] },
    };
  }

  /** `Re: <subject>` once for replies (no `Re: Re:`, `RE:`, `AW:`, `Ответ:` chains); the subject as is otherwise */
  subject(subject: string | undefined, isReply: boolean): string {
    const base = (subject ?? '').replace(/[\r\n]+/g, ' ').trim();
    if (!isReply) return base;
    const stripped = base.replace(REPLY_PREFIX, '').trim();
    return stripped ? `Re: ${stripped}` : 'Re:';
  }
}
