import { assignmentList, castList, columnList, fromRow, selectList, unnestRows, type ColumnMap } from '../row-mapping';
import { sqlText, textArrayParam } from '../text-array-param';

interface Sample {
  id: string;
  text: string;
  pinned: boolean;
  priority: number;
  subject: string | null;
  references: string[];
  editedAt: Date | null;
}

const MAP: ColumnMap<Sample> = [
  ['id', 'id', 'uuid'],
  ['text', 'text', 'text'],
  ['pinned', 'pinned', 'boolean'],
  ['priority', 'priority', 'integer'],
  ['subject', 'subject', 'text'],
  ['references', 'references', 'text[]'],
  ['editedAt', 'edited_at', 'timestamptz'],
];

/** reads a binary text[] back (the layout of Postgres' array_send) */
function readTextArray(buffer: Buffer): { hasNulls: number; elementType: number; values: Array<string | null> } {
  expect(buffer.readInt32BE(0)).toBe(1);
  const length = buffer.readInt32BE(12);
  expect(buffer.readInt32BE(16)).toBe(1);
  const values: Array<string | null> = [];
  let offset = 20;
  for (let index = 0; index < length; index += 1) {
    const size = buffer.readInt32BE(offset);
    offset += 4;
    if (size === -1) {
      values.push(null);
      continue;
    }
    values.push(buffer.toString('utf8', offset, offset + size));
    offset += size;
  }
  expect(offset).toBe(buffer.length);
  return { hasNulls: buffer.readInt32BE(4), elementType: buffer.readInt32BE(8), values };
}

describe('row mapping', () => {
  it('quotes reserved column names in SELECT and column lists, and reads rows back by property', () => {
    expect(columnList(MAP)).toBe('id, "text", pinned, priority, subject, "references", edited_at');
    expect(selectList(MAP, 'm')).toContain('m."references" AS "references"');
    expect(fromRow(MAP, { id: 'x', text: 'y', extra: 1 })).toEqual({ id: 'x', text: 'y', pinned: undefined, priority: undefined, subject: undefined, references: undefined, editedAt: undefined });
  });

  it('casts each unnested column to its type, in SELECT lists and UPDATE assignments', () => {
    expect(castList(MAP, 'r')).toBe('r.id::uuid, r."text"::text, r.pinned::boolean, r.priority::integer, r.subject::text, r."references"::text[], r.edited_at::timestamptz');
    expect(assignmentList(MAP.slice(1, 2), 'r')).toBe('"text" = r."text"::text');
  });

  it('sends one text[] a column, numbered from the first parameter, nulls as NULL and every other falsy value kept', () => {
    const at = new Date('2026-11-23T10:00:00.123Z');
    const rows = unnestRows(
      MAP,
      [
        { id: 'a', text: '', pinned: false, priority: 0, subject: null, references: [], editedAt: null },
        { id: 'b', text: 'Где "мой" заказ?\\', pinned: true, priority: 2, subject: 's', references: ['<x@y>', 'a "q" \\ b'], editedAt: at },
      ],
      'r',
      3,
    );
    expect(rows.from).toBe('unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS r(id, "text", pinned, priority, subject, "references", edited_at)');
    const columns = rows.params.map((param) => readTextArray(param).values);
    expect(columns).toEqual([
      ['a', 'b'],
      ['', 'Где "мой" заказ?\\'],
      ['f', 't'],
      ['0', '2'],
      [null, 's'],
      ['{}', '{"<x@y>","a \\"q\\" \\\\ b"}'],
      [null, '2026-11-23T10:00:00.123Z'],
    ]);
  });

  it('writes the binary array header Postgres expects: one dimension, the null flag, element type text', () => {
    expect(readTextArray(textArrayParam(['a', 'б']))).toEqual({ hasNulls: 0, elementType: 25, values: ['a', 'б'] });
    expect(readTextArray(textArrayParam([null, '']))).toEqual({ hasNulls: 1, elementType: 25, values: [null, ''] });
    expect(readTextArray(textArrayParam([]))).toEqual({ hasNulls: 0, elementType: 25, values: [] });
  });

  it('refuses what is not an integer for an integer column', () => {
    expect(() => sqlText('integer', 1.5)).toThrow('not an integer');
    expect(sqlText('jsonb', { a: [1, 'б'] })).toBe('{"a":[1,"б"]}');
    expect(sqlText('jsonb', undefined)).toBeNull();
  });
});
