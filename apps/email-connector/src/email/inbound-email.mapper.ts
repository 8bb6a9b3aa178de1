import { createHash } from 'node:crypto';
import type { BlobRef, BlobStore, InboundMessageInput } from '@switchboard/common';
import { BlobTooLargeError } from '@switchboard/common';
import { ConnectorError } from '@switchboard/connector-sdk';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import { AutoReplyDetector } from './auto-reply.detector';
import { EmailHtmlSanitizer } from './email-html.sanitizer';
import type { EmailSettings } from './email-settings.schema';
import type { RawEmail } from './email.types';
import { QuotedReplySplitter } from './quoted-reply.splitter';
import { ReplyAddressCodec } from './reply-address.codec';

/** Bytes of text / html one event may carry (Kafka's default record limit is 1 MB). */
const MAX_TEXT_BYTES = 200 * 1024;
const MAX_HTML_BYTES = 300 * 1024;
/** Longest Message-ID used as is; longer ones are hashed. */
const MAX_MESSAGE_ID_LENGTH = 900;
const MESSAGE_ID_PATTERN = /^<[^<>\s]{1,}>$/;
/** Trace headers the receiving servers prepend; left out of the content hash of a message without Message-ID. */
const TRACE_HEADERS = new Set(['return-path', 'delivered-to', 'received', 'x-original-to', 'envelope-to', 'x-envelope-to', 'x-delivered-to']);
/** Headers that name the envelope recipient, in the order a reply token is looked for. */
const ENVELOPE_HEADERS = ['delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to', 'x-delivered-to'];
/** addresses kept per participant list, and Message-IDs kept of References (first + newest), to bound the event size */
const MAX_PARTICIPANTS = 100;
const MAX_REFERENCES = 50;

type Address = { address: string; name?: string };

export interface MapContext {
  inboxId: string;
  settings: Pick<EmailSettings, 'address' | 'maxAttachmentBytes'>;
  blobs: BlobStore;
}

/**
 * Normalizes one raw email (mailparser) into an inbound message: addresses, subject, text,
 * sanitized html, the quoted part, Message-ID / In-Reply-To / References, the reply token,
 * auto-reply detection, attachments stored as blobs within the size limit (the rest refused with a
 * reason; the message is still delivered). Charsets are decoded by mailparser (utf-8,
 * windows-1251, koi8-r, iso-8859-5, …; base64 and quoted-printable).
 *
 * externalId = the Message-ID, or `sha256:<hex>` of the message without its trace headers when it
 * has none: the same mail always gets the same id, two different mails never share one (except
 * when a sender reuses a Message-ID, which the inbox then treats as a duplicate).
 * threadKey = the first Message-ID of References, else In-Reply-To, else its own externalId.
 * Malformed input (no header section, no sender address, unparseable MIME) → INVALID_PAYLOAD.
 */
export class InboundEmailMapper {
  private readonly sanitizer = new EmailHtmlSanitizer();
  private readonly splitter = new QuotedReplySplitter();
  private readonly autoReplies = new AutoReplyDetector();

  async map(raw: RawEmail, context: MapContext): Promise<InboundMessageInput> {
    const source = this.checkSource(raw);
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: 2_000_000 });
    } catch (error) {
      throw new ConnectorError('INVALID_PAYLOAD', `malformed MIME: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }

    const from = firstAddress(parsed.from);
    if (!from) throw new ConnectorError('INVALID_PAYLOAD', 'malformed email: no valid From address');
    const headers = headerReader(parsed);
    const codec = new ReplyAddressCodec(context.settings.address);

    const externalId = this.externalIdOf(parsed, source);
    const references = boundedReferences(messageIds(parsed.references));
    const inReplyTo = messageIds(parsed.inReplyTo)[0];
    const threadKey = references[0] ?? inReplyTo ?? externalId;
    const receivedAt = raw.receivedAt ?? receivedFromHeaders(headers.all('received')) ?? validDate(parsed.date) ?? new Date(0);
    const sentAt = validDate(parsed.date) ?? receivedAt;

    const to = addresses(parsed.to);
    const cc = addresses(parsed.cc);
    const replyTo = addresses(parsed.replyTo);
    const envelope = ENVELOPE_HEADERS.flatMap((name) => headers.all(name).flatMap(splitAddressList));
    const replyToken = codec.extract([...envelope, ...to.map((a) => a.address), ...cc.map((a) => a.address)]);
    const autoReplyReason = this.autoReplies.detect((name) => headers.first(name), headers.first('content-type'));

    const stored = await this.storeAttachments(parsed.attachments, context);
    const notes: string[] = [];
    let text = normalizeNewlines(parsed.text ?? '').replace(/\s+$/, '');
    if (Buffer.byteLength(text) > MAX_TEXT_BYTES) {
      text = truncateBytes(text, MAX_TEXT_BYTES);
      notes.push(`text truncated to ${MAX_TEXT_BYTES} bytes`);
    }
    let html: string | undefined;
    if (typeof parsed.html === 'string' && parsed.html.trim()) {
      const clean = this.sanitizer.sanitize(parsed.html, { inlineBlobs: stored.inline });
      if (Buffer.byteLength(clean) <= MAX_HTML_BYTES) html = clean || undefined;
      else {
        stored.attachments.push(await context.blobs.put({ name: 'message.html', contentType: 'text/html; charset=utf-8', data: Buffer.from(clean) }));
        notes.push('html too large for the event: kept as the attachment message.html');
      }
    }
    const quotedText = this.splitter.split(text);

    return {
      inboxId: context.inboxId,
      channelType: 'email',
      externalId,
      threadKey,
      sender: { externalId: from.address.toLowerCase(), email: from.address.toLowerCase(), ...(from.name ? { displayName: from.name } : {}) },
      sentAt: sentAt.toISOString(),
      receivedAt: receivedAt.toISOString(),
      ...(parsed.subject !== undefined ? { subject: parsed.subject.slice(0, 998) } : {}),
      text,
      ...(html ? { html } : {}),
      ...(quotedText ? { quotedText } : {}),
      attachments: stored.attachments,
      refusedAttachments: stored.refused,
      references,
      ...(inReplyTo ? { inReplyTo } : {}),
      ...(replyToken ? { replyToken } : {}),
      autoReply: autoReplyReason !== undefined,
      participants: { to: to.slice(0, MAX_PARTICIPANTS), cc: cc.slice(0, MAX_PARTICIPANTS), replyTo: replyTo.slice(0, MAX_PARTICIPANTS) },
      channelMetadata: {
        messageId: parsed.messageId ?? null,
        deliveredTo: envelope[0] ?? null,
        ...(autoReplyReason ? { autoReplyReason } : {}),
        ...(raw.origin ? { imap: raw.origin } : {}),
        ...(stored.inline.size > 0 ? { inlineImages: Object.fromEntries(stored.inline) } : {}),
        ...(notes.length > 0 ? { notes } : {}),
      },
    };
  }

  private checkSource(raw: RawEmail): Buffer {
    const source = raw?.source;
    if (!Buffer.isBuffer(source) || source.length === 0) throw new ConnectorError('INVALID_PAYLOAD', 'malformed email: empty message');
    const head = source.subarray(0, 2000).toString('latin1').replace(/^From [^\n]*\n/, '');
    if (!/^[\x21-\x39\x3b-\x7e]+:/.test(head)) throw new ConnectorError('INVALID_PAYLOAD', 'malformed email: no header section');
    return source;
  }

  private externalIdOf(parsed: ParsedMail, source: Buffer): string {
    const id = parsed.messageId?.trim();
    if (id && MESSAGE_ID_PATTERN.test(id) && id.length <= MAX_MESSAGE_ID_LENGTH) return id;
    return `sha256:${createHash('sha256').update(withoutTraceHeaders(source)).digest('hex')}`;
  }

  private async storeAttachments(
    attachments: readonly Attachment[],
    context: MapContext,
  ): Promise<{ attachments: BlobRef[]; refused: Array<{ name: string; size?: number; contentType?: string; reason: string }>; inline: Map<string, string> }> {
    const limit = context.settings.maxAttachmentBytes;
    const stored: BlobRef[] = [];
    const refused: Array<{ name: string; size?: number; contentType?: string; reason: string }> = [];
    const inline = new Map<string, string>();
    for (const [index, attachment] of attachments.entries()) {
      const contentType = attachment.contentType || 'application/octet-stream';
      const name = safeFileName(attachment.filename, index, contentType);
      const size = attachment.size ?? attachment.content?.length ?? 0;
      if (size > limit) {
        refused.push({ name, size, contentType, reason: tooLarge(name, size, limit) });
        continue;
      }
      try {
        const ref = await context.blobs.put({ name, contentType, data: attachment.content, maxBytes: limit });
        stored.push(ref);
        const cid = attachment.contentId?.replace(/^<|>$/g, '');
        if (cid) inline.set(cid, ref.key);
      } catch (error) {
        if (!(error instanceof BlobTooLargeError)) throw error;
        refused.push({ name, size, contentType, reason: tooLarge(name, size, limit) });
      }
    }
    return { attachments: stored, refused, inline };
  }
}

interface HeaderReader {
  first(name: string): string | undefined;
  all(name: string): string[];
}

function headerReader(parsed: ParsedMail): HeaderReader {
  const all = (name: string): string[] =>
    parsed.headerLines
      .filter((line) => line.key === name)
      .map((line) => {
        const colon = line.line.indexOf(':');
        return line.line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
      });
  return { all, first: (name) => all(name)[0] };
}

function firstAddress(object: AddressObject | AddressObject[] | undefined): Address | undefined {
  return addresses(object)[0];
}

function addresses(object: AddressObject | AddressObject[] | undefined): Address[] {
  const objects = object === undefined ? [] : Array.isArray(object) ? object : [object];
  const out: Address[] = [];
  const visit = (entry: { address?: string; name?: string; group?: Array<{ address?: string; name?: string }> }): void => {
    if (entry.group) entry.group.forEach(visit);
    const address = entry.address?.trim();
    if (address && /^[^\s@<>]+@[^\s@<>]+$/.test(address)) out.push(entry.name?.trim() ? { address, name: entry.name.trim() } : { address });
  };
  for (const item of objects) item.value.forEach(visit);
  return out;
}

/** `<a@b>`-shaped ids from a References / In-Reply-To value (string or array, whitespace separated) */
function messageIds(value: string | string[] | undefined): string[] {
  const raw = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const ids = raw.flatMap((entry) => entry.match(/<[^<>\s]+>/g) ?? []);
  return [...new Set(ids)].filter((id) => id.length <= MAX_MESSAGE_ID_LENGTH);
}

/** the thread's root (the thread key) and the newest ones */
function boundedReferences(ids: string[]): string[] {
  return ids.length <= MAX_REFERENCES ? ids : [ids[0], ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

function splitAddressList(value: string): string[] {
  return value.split(/[,\s]+/).map((part) => part.replace(/^<|>$/g, '')).filter((part) => part.includes('@'));
}

function receivedFromHeaders(received: readonly string[]): Date | undefined {
  for (const value of received) {
    const semicolon = value.lastIndexOf(';');
    if (semicolon < 0) continue;
    const date = validDate(new Date(value.slice(semicolon + 1).trim()));
    if (date) return date;
  }
  return undefined;
}

function validDate(date: Date | undefined): Date | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined;
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function truncateBytes(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text);
  return buffer.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}

function withoutTraceHeaders(source: Buffer): Buffer {
  const text = source.toString('latin1');
  const lines = text.split(/(?<=\n)/);
  let index = 0;
  while (index < lines.length) {
    const match = /^([\x21-\x39\x3b-\x7e]+):/.exec(lines[index]);
    if (!match || !TRACE_HEADERS.has(match[1].toLowerCase())) break;
    index++;
    while (index < lines.length && /^[ \t]/.test(lines[index])) index++;
  }
  return Buffer.from(lines.slice(index).join(''), 'latin1');
}

const EXTENSIONS: Record<string, string> = {
  'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif', 'image/webp': '.webp', 'application/pdf': '.pdf',
  'text/plain': '.txt', 'text/html': '.html', 'message/rfc822': '.eml', 'text/calendar': '.ics',
};

/** a display name without directories, control characters or leading dots, at most 255 characters */
function safeFileName(filename: string | undefined, index: number, contentType: string): string {
  const base = (filename ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let name = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/^[.\s]+/, '').trim();
  if (!name) name = `attachment-${index + 1}${EXTENSIONS[contentType.split(';')[0].trim().toLowerCase()] ?? ''}`;
  if (name.length > 255) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, 255 - extension.length) + extension;
  }
  return name;
}

function tooLarge(name: string, size: number, limit: number): string {
  return `"${name}" (${megabytes(size)}) is larger than this inbox's attachment limit of ${megabytes(limit)}; it was not stored — ask the sender for a smaller file or a link`;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
