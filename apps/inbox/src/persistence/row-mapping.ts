/**
 * Column ↔ property maps for the tables the hot path reads and writes with raw SQL: one place that
 * knows the snake_case names, used to build SELECT lists and json_populate_recordset payloads.
 */
export type ColumnMap<T> = ReadonlyArray<readonly [keyof T & string, string]>;

/** `alias.column AS "property", …` */
export function selectList<T>(map: ColumnMap<T>, alias: string): string {
  return map.map(([property, column]) => `${alias}.${quoteColumn(column)} AS "${property}"`).join(', ');
}

/** `column, …` */
export function columnList<T>(map: ColumnMap<T>, alias?: string): string {
  return map.map(([, column]) => (alias ? `${alias}.${quoteColumn(column)}` : quoteColumn(column))).join(', ');
}

/**
 * An object keyed by column names, for `json_populate_recordset(null::<table>, …)`. Null properties are
 * left out: that function reads a missing key as NULL, and a smaller document is cheaper on both sides.
 */
export function toColumns<T>(map: ColumnMap<T>, value: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [property, column] of map) {
    const field = value[property];
    if (field !== null && field !== undefined) out[column] = field;
  }
  return out;
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
