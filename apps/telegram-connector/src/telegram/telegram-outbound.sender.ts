import { InputFile } from 'grammy';
import type { Api } from 'grammy';
import type { Message, ReplyParameters } from 'grammy/types';
import type { BlobRef, BlobStore, OutboundMessage, OutboundTyping } from '@switchboard/common';
import { ConnectorError, SendResult } from '@switchboard/connector-sdk';
import { classifyTelegramError } from './telegram-error.classifier';
import { escapeTelegramHtml } from './telegram-html';

export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** outbound messages whose progress is remembered (a retried message resumes, never doubles) */
const REMEMBERED = 1000;

/** Splits text into pieces of at most `limit` UTF-16 units, preferring line then word breaks. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    // never cut a surrogate pair in two
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

interface Progress {
  /** messages already sent, by part index (text chunks first, then attachments) */
  sent: Map<number, Message>;
  result?: SendResult;
}

/**
 * Sends outbound messages with grammY: text in HTML parse mode with <, > and & escaped (split at
 * 4096 characters), attachments from the BlobStore as photos (JPEG/PNG/WebP up to 10 MB) or
 * documents, the text as the first attachment's caption when it fits, `inReplyTo` as
 * reply_parameters. The receipt's externalId is `<chat_id>:<message_id>` of the first message.
 * 429s are waited out by the auto-retry transformer on the Api; what remains is classified.
 */
export class TelegramOutboundSender {
  private readonly progress = new Map<string, Progress>();

  constructor(
    private readonly api: Api,
    private readonly blobs: BlobStore,
  ) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    const remembered = this.progress.get(message.messageId);
    if (remembered?.result) return remembered.result;
    const progress: Progress = remembered ?? { sent: new Map() };
    this.remember(message.messageId, progress);

    const chatId = message.threadKey;
    const replyParameters = this.replyParameters(chatId, message.inReplyTo);
    const text = message.text.trim().length > 0 ? message.text : '';
    const captionFits = message.attachments.length > 0 && text.length > 0 && text.length <= TELEGRAM_CAPTION_LIMIT;
    const chunks = captionFits || text.length === 0 ? [] : splitText(text);
    if (chunks.length === 0 && message.attachments.length === 0) {
      throw new ConnectorError('INVALID_PAYLOAD', 'nothing to send: the message has neither text nor attachments');
    }
    const first = (): boolean => progress.sent.size === 0;
    let part = 0;
    try {
      for (const chunk of chunks) {
        const index = part++;
        if (progress.sent.has(index)) continue;
        const reply = first() ? replyParameters : undefined;
        const sent = await this.api.sendMessage(chatId, escapeTelegramHtml(chunk), {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(reply ? { reply_parameters: reply } : {}),
        });
        progress.sent.set(index, sent);
      }
      for (const [position, attachment] of message.attachments.entries()) {
        const index = part++;
        if (progress.sent.has(index)) continue;
        const caption = captionFits && position === 0 ? escapeTelegramHtml(text) : undefined;
        const reply = first() ? replyParameters : undefined;
        const options = { ...(caption ? { caption, parse_mode: 'HTML' as const } : {}), ...(reply ? { reply_parameters: reply } : {}) };
        const file = new InputFile(await this.blobs.get(attachment.key), attachment.name);
        const sent = this.isPhoto(attachment) ? await this.api.sendPhoto(chatId, file, options) : await this.api.sendDocument(chatId, file, options);
        progress.sent.set(index, sent);
      }
    } catch (error) {
      throw classifyTelegramError(error);
    }
    const head = [...progress.sent.entries()].sort((a, b) => a[0] - b[0])[0][1];
    progress.result = { externalId: `${head.chat.id}:${head.message_id}` };
    return progress.result;
  }

  async typing(event: OutboundTyping): Promise<void> {
    try {
      await this.api.sendChatAction(event.recipient.externalId, 'typing');
    } catch (error) {
      throw classifyTelegramError(error);
    }
  }

  private isPhoto(attachment: BlobRef): boolean {
    return PHOTO_TYPES.has(attachment.contentType.toLowerCase()) && attachment.size <= PHOTO_MAX_BYTES;
  }

  /** `<chat_id>:<message_id>` of a message in this chat → reply_parameters (sent even if it was deleted) */
  private replyParameters(chatId: string, inReplyTo: string | undefined): ReplyParameters | undefined {
    const match = inReplyTo ? /^(-?\d+):(\d+)$/.exec(inReplyTo) : null;
    if (!match || match[1] !== chatId) return undefined;
    return { message_id: Number(match[2]), allow_sending_without_reply: true };
  }

  private remember(messageId: string, progress: Progress): void {
    this.progress.delete(messageId);
    this.progress.set(messageId, progress);
    if (this.progress.size > REMEMBERED) this.progress.delete(this.progress.keys().next().value as string);
  }
}
