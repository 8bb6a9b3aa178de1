import { jsonArrayParam, utf8Joined } from '../utf8-param';

describe('utf8Joined / jsonArrayParam', () => {
  it('is the UTF-8 encoding of the joined string, whatever the parts hold', () => {
    const parts = ['Где мой заказ?', '', 'سلام', 'emoji 📦 and a lone surrogate \ud800', 'plain ascii', '\u001e inside'];
    for (const [separator, open, close] of [
      ['\u001e', '', ''],
      [',', '[', ']'],
      ['—', '«', '»'],
    ]) {
      expect(utf8Joined(parts, separator, open, close)).toEqual(Buffer.from(open + parts.join(separator) + close, 'utf8'));
    }
  });

  it('joins nothing into open + close and one part into itself', () => {
    expect(utf8Joined([], ',', '[', ']').toString('utf8')).toBe('[]');
    expect(utf8Joined(['только одна'], '\u001e').toString('utf8')).toBe('только одна');
  });

  it('makes a JSON array that parses back to the items', () => {
    const items = [{ text: 'Коробка пришла повреждённой', n: 1, nested: { emoji: '📦', quote: '"\\' } }, { empty: '' }, {}];
    expect(JSON.parse(jsonArrayParam(items).toString('utf8'))).toEqual(items);
    expect(jsonArrayParam([]).toString('utf8')).toBe('[]');
  });
});
