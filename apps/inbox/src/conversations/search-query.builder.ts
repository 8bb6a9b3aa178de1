/**
 * A user's search text → a Postgres tsquery for the `simple` configuration, each word as a prefix
 * (`заказ:*` finds `заказа`, `заказом`; `deliver:*` finds `delivery`), all words required. Only
 * letters and digits reach the query, so the input cannot break its syntax.
 */
export class SearchQueryBuilder {
  static toTsQuery(text: string | undefined): string | null {
    if (!text) return null;
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return null;
    return [...new Set(words)]
      .slice(0, 16)
      .map((word) => `${word}:*`)
      .join(' & ');
  }
}
