import type { MessageEntity } from 'grammy/types';
import { parseTelegramHtml } from '@switchboard/testing/fakes/telegram';
import { entitiesToHtml, escapeTelegramHtml } from '../telegram-html';

describe('telegram HTML', () => {
  describe(escapeTelegramHtml.name, () => {
    it('escapes what Telegram HTML parse mode requires, so Telegram shows the text as written', () => {
      const text = 'if a < b && c > d then <b>bold?</b> "quoted"';
      const sut = escapeTelegramHtml(text);
      expect(sut).toBe('if a &lt; b &amp;&amp; c &gt; d then &lt;b&gt;bold?&lt;/b&gt; &quot;quoted&quot;');
      expect(parseTelegramHtml(sut)).toEqual({ text, entities: [] });
    });
  });

  describe(entitiesToHtml.name, () => {
    it('returns undefined when no entity changes the rendering', () => {
      expect(entitiesToHtml('#tag /start', [{ type: 'hashtag', offset: 0, length: 4 }, { type: 'bot_command', offset: 5, length: 6 }])).toBeUndefined();
      expect(entitiesToHtml('plain', undefined)).toBeUndefined();
    });

    it('nests entities and escapes every character of the text', () => {
      const text = 'a <x> bold italic tail';
      const entities: MessageEntity[] = [
        { type: 'bold', offset: 6, length: 11 },
        { type: 'italic', offset: 11, length: 6 },
      ];
      expect(entitiesToHtml(text, entities)).toBe('a &lt;x&gt; <b>bold <i>italic</i></b> tail');
    });

    it('cuts an entity that overlaps its parent so the HTML stays well formed', () => {
      const entities: MessageEntity[] = [
        { type: 'bold', offset: 0, length: 4 },
        { type: 'italic', offset: 2, length: 4 },
      ];
      expect(entitiesToHtml('abcdef', entities)).toBe('<b>ab<i>cd</i></b>ef');
    });

    it('counts offsets in UTF-16 units like Telegram (emoji are two)', () => {
      expect(entitiesToHtml('😀 hi', [{ type: 'bold', offset: 3, length: 2 }])).toBe('😀 <b>hi</b>');
    });

    it('drops links with unsafe schemes and escapes link targets', () => {
      const text = 'click here or there';
      const entities: MessageEntity[] = [
        { type: 'text_link', offset: 6, length: 4, url: 'javascript:alert(1)' },
        { type: 'text_link', offset: 14, length: 5, url: 'https://example.com/?a=1&b="2"' },
      ];
      expect(entitiesToHtml(text, entities)).toBe('click here or <a href="https://example.com/?a=1&amp;b=&quot;2&quot;">there</a>');
    });
  });
});
