import type { MessageEntity } from 'grammy/types';

/** What Telegram answers when `parse_mode: "HTML"` text is not valid (400 Bad Request). */
export class TelegramHtmlError extends Error {
  override readonly name = 'TelegramHtmlError';
}

const TAG_ENTITY: Record<string, MessageEntity['type']> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Parses Bot API "HTML style" text the way Telegram does: only the supported tags, the four
 * named entities and numeric entities; anything else is a 400 "can't parse entities". Returns
 * the plain text and its entities (offsets in UTF-16 code units, like the real API).
 */
export function parseTelegramHtml(html: string): { text: string; entities: MessageEntity[] } {
  let text = '';
  const entities: MessageEntity[] = [];
  const open: { tag: string; offset: number; url?: string }[] = [];
  let index = 0;
  const byteOffset = (at: number): number => Buffer.byteLength(html.slice(0, at), 'utf8');
  while (index < html.length) {
    const char = html[index];
    if (char === '<') {
      const close = html.indexOf('>', index);
      if (close < 0) throw new TelegramHtmlError(`can't parse entities: Can't find end of the tag starting at byte offset ${byteOffset(index)}`);
      const raw = html.slice(index + 1, close);
      if (raw.startsWith('/')) {
        const tag = raw.slice(1).trim().toLowerCase();
        const top = open.pop();
        if (!top || top.tag !== tag) {
          throw new TelegramHtmlError(`can't parse entities: Unexpected end tag at byte offset ${byteOffset(index)}`);
        }
        const length = text.length - top.offset;
        if (length > 0) {
          const type = TAG_ENTITY[tag];
          entities.push(type === 'text_link' ? { type, offset: top.offset, length, url: top.url ?? '' } : ({ type, offset: top.offset, length } as MessageEntity));
        }
      } else {
        const match = /^([a-zA-Z][a-zA-Z0-9-]*)(\s[^]*)?$/.exec(raw);
        const tag = match?.[1]?.toLowerCase();
        if (!tag || !(tag in TAG_ENTITY)) {
          throw new TelegramHtmlError(`can't parse entities: Unsupported start tag "${tag ?? raw}" at byte offset ${byteOffset(index)}`);
        }
        const url = tag === 'a' ? /href\s*=\s*"([^"]*)"/i.exec(match?.[2] ?? '')?.[1] : undefined;
        open.push({ tag, offset: text.length, url });
      }
      index = close + 1;
    } else if (char === '&') {
      const semicolon = html.indexOf(';', index);
      const name = semicolon > index ? html.slice(index + 1, semicolon) : '';
      if (name in NAMED_ENTITIES) {
        text += NAMED_ENTITIES[name];
        index = semicolon + 1;
      } else if (/^#\d{1,7}$/.test(name)) {
        text += String.fromCodePoint(Number(name.slice(1)));
        index = semicolon + 1;
      } else if (/^#x[0-9a-fA-F]{1,6}$/.test(name)) {
        text += String.fromCodePoint(parseInt(name.slice(2), 16));
        index = semicolon + 1;
      } else {
        // Telegram keeps an ampersand that does not start a known entity
        text += '&';
        index += 1;
      }
    } else if (char === '>') {
      throw new TelegramHtmlError(`can't parse entities: Unexpected ">" at byte offset ${byteOffset(index)}`);
    } else {
      text += char;
      index += 1;
    }
  }
  if (open.length > 0) {
    throw new TelegramHtmlError(`can't parse entities: Can't find end tag corresponding to start tag "${open[open.length - 1].tag}"`);
  }
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}
