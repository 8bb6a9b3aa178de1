import { columnList, fromRow, selectList, toColumns, type ColumnMap } from '../row-mapping';

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
  ['id', 'id'],
  ['text', 'text'],
  ['pinned', 'pinned'],
  ['priority', 'priority'],
  ['subject', 'subject'],
  ['references', 'references'],
  ['editedAt', 'edited_at'],
];

describe('row mapping', () => {
  it('toColumns keys by column, leaves out null properties and keeps every other falsy value', () => {
    const at = new Date('2026-11-23T10:00:00Z');
    expect(toColumns(MAP, { id: 'a', text: '', pinned: false, priority: 0, subject: null, references: [], editedAt: null })).toEqual({
      id: 'a',
      text: '',
      pinned: false,
      priority: 0,
      references: [],
    });
    expect(toColumns(MAP, { id: 'b', text: 't', pinned: true, priority: 2, subject: 's', references: ['r'], editedAt: at })).toEqual({
      id: 'b',
      text: 't',
      pinned: true,
      priority: 2,
      subject: 's',
      references: ['r'],
      edited_at: at,
    });
  });

  it('quotes reserved column names in SELECT and column lists, and reads rows back by property', () => {
    expect(columnList(MAP)).toBe('id, "text", pinned, priority, subject, "references", edited_at');
    expect(selectList(MAP, 'm')).toContain('m."references" AS "references"');
    expect(fromRow(MAP, { id: 'x', text: 'y', extra: 1 })).toEqual({ id: 'x', text: 'y', pinned: undefined, priority: undefined, subject: undefined, references: undefined, editedAt: undefined });
  });
});
