import { SentMessageCache } from '../sent-message-cache';

describe(SentMessageCache.name, () => {
  it('remembers external ids and evicts the least recently used beyond its capacity', () => {
    const sut = new SentMessageCache(2);
    sut.remember('a', 'ext-a');
    sut.remember('b', 'ext-b');
    expect(sut.get('a')).toBe('ext-a'); // a is now the most recent

    sut.remember('c', 'ext-c');

    expect(sut.get('b')).toBeUndefined();
    expect(sut.get('a')).toBe('ext-a');
    expect(sut.get('c')).toBe('ext-c');
    expect(sut.size).toBe(2);
  });

  it('refuses a capacity below one', () => {
    expect(() => new SentMessageCache(0)).toThrow(/capacity/);
  });
});
