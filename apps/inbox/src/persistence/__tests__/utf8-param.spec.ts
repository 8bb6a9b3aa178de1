import { utf8Joined } from '../utf8-param';

describe('utf8Joined', () => {
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
});
