import { sqlText, textArrayParam, type SqlType } from './text-array-param';

/**
 * Column ↔ property maps for the tables the hot path reads and writes with raw SQL: one place that
 * knows the snake_case names and the column types, used to build SELECT lists and batch writes.
 */
export type ColumnMap<T> = ReadonlyArray<readonly [keyof T & string, string, SqlType]>;

/** `alias.column AS "property", …` */
export function selectList<T>(map: ColumnMap<T>, alias: string): string {
  return map.map(([property, column]) => `${alias}.${quoteColumn(column)} AS "${property}"`).join(', ');
}

/** `column, …` */
export function columnList<T>(map: ColumnMap<T>, alias?: string): string {
  return map.map(([, column]) => (alias ? `${alias}.${quoteColumn(column)}` : quoteColumn(column))).join(', ');
}

/** `alias.column::type, …`: the columns of unnestRows' rows, typed */
export function castList<T>(map: ColumnMap<T>, alias: string): string {
  return map.map(([, column, type]) => `${alias}.${quoteColumn(column)}::${type}`).join(', ');
}

/** `column = alias.column::type, …` for an UPDATE … FROM unnestRows(…) */
export function assignmentList<T>(map: ColumnMap<T>, alias: string): string {
  return map.map(([, column, type]) => `${quoteColumn(column)} = ${alias}.${quoteColumn(column)}::${type}`).join(', ');
}

/**
 * Rows as `unnest($n::text[], …) AS alias(column, …)`, one binary text[] parameter a column
 * (textArrayParam: nothing escaped, nothing parsed but each value by its type); select them with
 * castList. null and undefined properties are NULL.
 */
export function unnestRows<T>(map: ColumnMap<T>, rows: readonly T[], alias: string, firstParameter = 1): { from: string; params: Buffer[] } {
  const params = map.map(([property, , type]) => textArrayParam(rows.map((row) => sqlText(type, row[property]))));
  const arrays = map.map((_, index) => `$${firstParameter + index}::text[]`).join(', ');
  return { from: `unnest(${arrays}) AS ${alias}(${columnList(map)})`, params };
}

/** picks the mapped properties of a row selected with selectList */
export function fromRow<T>(map: ColumnMap<T>, row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [property] of map) out[property] = row[property];
  return out as T;
}

const RESERVED = new Set(['references', 'type', 'text', 'key', 'value']);

function quoteColumn(column: string): string {
  return RESERVED.has(column) ? `"${column}"` : column;
}
