/**
 * A column of a batch as one `text[]` parameter in Postgres' binary array format.
 *
 * node-postgres sends a Buffer in binary format, and the binary form of `text[]` is a small header and
 * then, for each element, its length and its UTF-8 bytes (-1 for NULL). So nothing is escaped on either
 * side: not in JavaScript (node-postgres' own array literal escapes every element with regular
 * expressions) and not in Postgres (json_populate_recordset lexes every document, about 30 µs a message
 * row). The SQL casts each element to its column's type: `unnest($1::text[], $2::text[]) AS r(id, at)`,
 * then `r.id::uuid, r.at::timestamptz`.
 */

/** pg_type oid of `text` */
const TEXT_OID = 25;
const HEADER_BYTES = 20;

export function textArrayParam(values: ReadonlyArray<string | null>): Buffer {
  let size = HEADER_BYTES;
  for (const value of values) size += 4 + (value === null ? 0 : Buffer.byteLength(value, 'utf8'));
  const out = Buffer.allocUnsafe(size);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(values.includes(null) ? 1 : 0, 4); // has nulls
  out.writeInt32BE(TEXT_OID, 8);
  out.writeInt32BE(values.length, 12);
  out.writeInt32BE(1, 16); // lower bound
  let offset = HEADER_BYTES;
  for (const value of values) {
    if (value === null) {
      out.writeInt32BE(-1, offset);
      offset += 4;
      continue;
    }
    const length = out.write(value, offset + 4, 'utf8');
    out.writeInt32BE(length, offset);
    offset += 4 + length;
  }
  if (offset !== size) throw new Error(`textArrayParam wrote ${offset} of ${size} bytes`);
  return out;
}

/** The Postgres types the batch writers cast `text` elements to. */
export type SqlType = 'uuid' | 'text' | 'integer' | 'boolean' | 'timestamptz' | 'jsonb' | 'text[]';

/** a value as the text its column type reads: null and undefined are NULL */
export function sqlText(type: SqlType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'uuid':
    case 'text':
      return String(value);
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`not an integer: ${String(value)}`);
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : String(value);
    case 'jsonb':
      return JSON.stringify(value);
    case 'text[]':
      return arrayLiteral(value as readonly string[]);
  }
}

/** `{"a","b \"c\""}`: every element quoted, `"` and `\` escaped (the only characters array_in treats inside quotes) */
function arrayLiteral(items: readonly string[]): string {
  let out = '{';
  for (let index = 0; index < items.length; index += 1) {
    if (index > 0) out += ',';
    const item = items[index];
    if (item === null || item === undefined) {
      out += 'NULL';
      continue;
    }
    out += '"';
    out += item.includes('"') || item.includes('\\') ? item.replace(/["\\]/g, '\\$&') : item;
    out += '"';
  }
  return `${out}}`;
}
