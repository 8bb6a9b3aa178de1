/** What a customer writes to ask for a person, per language, when the inbox sets no keywords of its own. */
export const DEFAULT_HANDOFF_KEYWORDS: readonly string[] = [
  // en
  'human',
  'agent',
  'operator',
  'person',
  // ru
  'оператор',
  'человек',
  'живой',
  // fa
  'اپراتور',
  'انسان',
  'پشتیبان',
];

const LATIN = /^[\p{Script=Latin}\s'-]+$/u;

/**
 * "The customer asks for a human": one of the keywords appears as a word of the message,
 * case-insensitively. Word-ish: the keyword must start a word and may be followed by a short ending
 * (a Latin keyword by a plural "s": "agents"; another script's by up to two letters: "оператора",
 * "человеку", "اپراتورها"), so "operator" matches "operators" but "person" does not match "personal".
 * Spaces inside a keyword match any run of whitespace. Pure.
 */
export class HandoffKeywordMatcher {
  private readonly patterns: RegExp[];

  /** null: the defaults; [] turns keyword handoff off */
  constructor(keywords: readonly string[] | null) {
    this.patterns = (keywords ?? DEFAULT_HANDOFF_KEYWORDS)
      .map((keyword) => keyword.trim())
      .filter((keyword) => keyword.length > 0)
      .map((keyword) => HandoffKeywordMatcher.pattern(keyword));
  }

  /** true when one of the keywords appears in the text */
  matches(text: string): boolean {
    const normalized = text.normalize('NFC');
    return this.patterns.some((pattern) => pattern.test(normalized));
  }

  private static pattern(keyword: string): RegExp {
    const body = keyword
      .normalize('NFC')
      .split(/\s+/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('\\s+');
    const ending = LATIN.test(keyword) ? 's?' : '\\p{L}{0,2}';
    return new RegExp(`(?<![\\p{L}\\p{N}])${body}${ending}(?![\\p{L}\\p{N}])`, 'iu');
  }
}
