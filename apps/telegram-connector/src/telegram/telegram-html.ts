import type { MessageEntity } from 'grammy/types';

/** Escapes text for Telegram's HTML parse mode (only <, > and & need it; " for attributes). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const SAFE_LINK = /^(https?:|mailto:|tel:|tg:)/i;

function opening(entity: MessageEntity, covered: string): [string, string] | null {
  switch (entity.type) {
    case 'bold':
      return ['<b>', '</b>'];
    case 'italic':
      return ['<i>', '</i>'];
    case 'underline':
      return ['<u>', '</u>'];
    case 'strikethrough':
      return ['<s>', '</s>'];
    case 'code':
      return ['<code>', '</code>'];
    case 'pre':
      return ['<pre>', '</pre>'];
    case 'blockquote':
    case 'expandable_blockquote':
      return ['<blockquote>', '</blockquote>'];
    case 'text_link':
      return SAFE_LINK.test(entity.url) ? [`<a href="${escapeTelegramHtml(entity.url)}">`, '</a>'] : null;
    case 'url': {
      const href = /^[a-z][a-z0-9+.-]*:/i.test(covered) ? covered : `https://${covered}`;
      return SAFE_LINK.test(href) ? [`<a href="${escapeTelegramHtml(href)}">`, '</a>'] : null;
    }
    case 'email':
      return [`<a href="mailto:${escapeTelegramHtml(covered)}">`, '</a>'];
    case 'phone_number':
      return [`<a href="tel:${escapeTelegramHtml(covered.replace(/[^\d+]/g, ''))}">`, '</a>'];
    case 'mention':
      return /^@[A-Za-z0-9_]{4,32}$/.test(covered) ? [`<a href="https://t.me/${covered.slice(1)}">`, '</a>'] : null;
    case 'text_mention':
      return [`<a href="tg://user?id=${entity.user.id}">`, '</a>'];
    default:
      return null;
  }
}

/**
 * Renders a Telegram text with its entities as safe HTML for the operator console: every
 * character of the text is escaped, only a fixed set of tags is produced and links are limited
 * to http(s), mailto, tel and tg. Offsets are UTF-16 code units, as JavaScript strings are.
 * Returns undefined when no entity changes the rendering (the plain text says it all).
 */
export function entitiesToHtml(text: string, entities: readonly MessageEntity[] | undefined): string | undefined {
  if (!entities || entities.length === 0) return undefined;
  type Mark = { at: number; end: number; open: string; close: string };
  const marks: Mark[] = [];
  for (const entity of entities) {
    const start = Math.max(0, entity.offset);
    const end = Math.min(text.length, entity.offset + entity.length);
    if (end <= start) continue;
    const tags = opening(entity, text.slice(start, end));
    if (tags) marks.push({ at: start, end, open: tags[0], close: tags[1] });
  }
  if (marks.length === 0) return undefined;
  // outer entities first; an entity that overlaps its parent's end is cut there (keeps the HTML well-formed)
  marks.sort((a, b) => a.at - b.at || b.end - a.end);
  let html = '';
  const stack: Mark[] = [];
  let position = 0;
  const closeUntil = (limit: number): void => {
    while (stack.length > 0 && stack[stack.length - 1].end <= limit) {
      const top = stack.pop() as Mark;
      html += escapeTelegramHtml(text.slice(position, top.end)) + top.close;
      position = top.end;
    }
  };
  for (const mark of marks) {
    closeUntil(mark.at);
    html += escapeTelegramHtml(text.slice(position, mark.at));
    position = mark.at;
    const parent = stack[stack.length - 1];
    const end = parent ? Math.min(parent.end, mark.end) : mark.end;
    html += mark.open;
    stack.push({ ...mark, end });
  }
  closeUntil(text.length);
  html += escapeTelegramHtml(text.slice(position));
  return html.replace(/\n/g, '<br>');
}
