/** Bidirectional marks Gmail and Outlook wrap around RTL attributions (Persian, Arabic, Hebrew). */
const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Lines that introduce the quoted original in a reply, per client and language. */
const ATTRIBUTION_PATTERNS: readonly RegExp[] = [
  // Gmail / Apple Mail / Thunderbird, English: "On Mon, Mar 11, 2024 at 4:02 PM Acme <a@b> wrote:"
  /^On\s.{1,300}\swrote:$/i,
  // Thunderbird / K-9, Russian: "12.03.2024 16:02, Служба поддержки пишет:" / "… написал(а):"
  /^.{1,300}\s(пишет|написал|написала|написал\(а\)):$/i,
  // Yandex / Mail.ru: "12.03.2024, 10:15, "Иван" <ivan@ya.ru>:", "Понедельник, 12 марта 2024, 10:15 +03:00 от Иван <ivan@mail.ru>:"
  /^(\d{1,2}\.\d{1,2}\.\d{2,4}|[А-Яа-яЁё]+,\s+\d{1,2}\s+[а-яё]+\s+\d{4}).{0,250}<[^<>\s]+@[^<>\s]+>:$/,
  // Gmail, Russian: "вт, 12 мар. 2024 г. в 10:14, Acme <support@acme.test>:"
  /^.{0,40}\d{4}\s*г\.\s*в\s*\d{1,2}:\d{2}.{0,250}:$/i,
  // Gmail, Persian / Arabic: "در تاریخ … <a@b> نوشت:", "في … كتب:"
  /^.{1,300}\s(نوشت|نوشته است|كتب|كتب ما يلي):$/,
  // Outlook / Exchange separators, English and Russian
  // (forwarded messages are the customer's content and are not folded away)
  /^-{2,}\s*(Original Message|Исходное сообщение|Исходное письмо)\s*-{2,}$/i,
  /^-{3,}\s*(پیام اصلی)\s*-{3,}$/,
];

/** A forwarded message is the customer's content: nothing below such a marker is folded away. */
const FORWARD_MARKER = /^(-{2,}\s*(Forwarded message|Пересылаемое сообщение|Переслано|پیام هدایت شده)\s*-{2,}|Begin forwarded message:|-{2,}\s*Forwarded by)/i;

/** Outlook's header block ("From: … / Sent: … / To: … / Subject: …") in English, Russian, Persian. */
const HEADER_BLOCK_FROM = /^(From|От|Від|از|Von|De):\s?\S/i;
const HEADER_BLOCK_NEXT = /^(Sent|Date|Отправлено|Дата|Надіслано|ارسال شده|تاریخ|Gesendet|Envoyé|To|Кому|به):\s?\S/i;

/**
 * Finds the quoted original at the end of a reply so that it can be folded away for display.
 * Returns the quoted part as an exact suffix of the given text (the full text stays the message's
 * text), or undefined when there is no trailing quote or nothing would be left above it.
 * Conservative: an inline / bottom-posted answer below a quote is never hidden.
 */
export class QuotedReplySplitter {
  split(text: string): string | undefined {
    if (!text) return undefined;
    const lines = text.split('\n');
    const offsets: number[] = [];
    let offset = 0;
    for (const line of lines) {
      offsets.push(offset);
      offset += line.length + 1;
    }
    const attribution = this.attributionLine(lines);
    if (attribution === null) return undefined;
    const start = attribution ?? this.trailingQuoteBlock(lines);
    if (start === undefined) return undefined;
    const visible = lines.slice(0, start).join('\n');
    if (visible.trim().length === 0) return undefined;
    return text.slice(offsets[start]);
  }

  /** index of the first attribution / separator line whose quote runs to the end; null below a forward marker */
  private attributionLine(lines: readonly string[]): number | undefined | null {
    for (let index = 0; index < lines.length; index++) {
      const line = clean(lines[index]);
      if (!line || line.startsWith('>')) continue;
      if (FORWARD_MARKER.test(line)) return null;
      const isAttribution = this.isAttributionAt(lines, index);
      const isHeaderBlock =
        (HEADER_BLOCK_FROM.test(line) && this.headerBlockFollows(lines, index)) ||
        (/^_{8,}$/.test(line) && HEADER_BLOCK_FROM.test(clean(lines[index + 1] ?? '')));
      if ((isAttribution || isHeaderBlock) && !this.answerBelowQuote(lines, index + 1)) return index;
    }
    return undefined;
  }

  /**
   * The line is an attribution, or starts one that a client wrapped over two or three lines (Gmail
   * does). A wrapped attribution never spans a blank line, and a line is not taken as the start of
   * one when the next line already is an attribution by itself (a signature above it).
   */
  private isAttributionAt(lines: readonly string[], index: number): boolean {
    const single = (at: number): boolean => at < lines.length && ATTRIBUTION_PATTERNS.some((pattern) => pattern.test(clean(lines[at])));
    if (single(index)) return true;
    const group = [index, index + 1, index + 2].filter((at) => at < lines.length).map((at) => clean(lines[at]));
    for (let size = 2; size <= group.length; size++) {
      const parts = group.slice(0, size);
      if (parts.some((part) => !part) || single(index + size - 1)) return false;
      const joined = parts.join(' ');
      if (ATTRIBUTION_PATTERNS.some((pattern) => pattern.test(joined))) return true;
    }
    return false;
  }

  private headerBlockFollows(lines: readonly string[], index: number): boolean {
    for (let next = index + 1; next <= index + 3 && next < lines.length; next++) {
      if (HEADER_BLOCK_NEXT.test(clean(lines[next]))) return true;
    }
    return false;
  }

  /** true when text that is not `>`-quoted follows a `>` block below the attribution (an inline answer) */
  private answerBelowQuote(lines: readonly string[], from: number): boolean {
    let sawQuote = false;
    for (let index = from; index < lines.length; index++) {
      const line = clean(lines[index]);
      if (!line) continue;
      if (line.startsWith('>')) sawQuote = true;
      else if (sawQuote) return true;
    }
    return false;
  }

  /** start of a trailing block of `>` lines (blank lines allowed inside) */
  private trailingQuoteBlock(lines: readonly string[]): number | undefined {
    let start: number | undefined;
    for (let index = lines.length - 1; index >= 0; index--) {
      const line = clean(lines[index]);
      if (!line) continue;
      if (!line.startsWith('>')) break;
      start = index;
    }
    return start;
  }
}

function clean(line: string): string {
  return line.replace(BIDI_MARKS, '').replace(/\r$/, '').trim();
}
