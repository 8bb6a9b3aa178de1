import { DEFAULT_HANDOFF_KEYWORDS, HandoffKeywordMatcher } from '../handoff-keywords';

describe(HandoffKeywordMatcher.name, () => {
  describe('with the default keywords', () => {
    const sut = new HandoffKeywordMatcher(null);

    it.each([
      'human',
      'Can I talk to a HUMAN please?',
      'agent!',
      'I need an operator.',
      'real person',
      'are there any agents around',
      'Позовите оператора',
      'ОПЕРАТОР',
      'хочу поговорить с человеком',
      'дайте живой ответ',
      'لطفا اپراتور',
      'با یک انسان صحبت کنم',
      'پشتیبان کجاست؟',
      'اپراتورها کجا هستند',
    ])('hands off on %p', (text) => {
      expect(sut.matches(text)).toBe(true);
    });

    it.each([
      'hello',
      'humanitarian aid',
      'my personal data',
      'the agenda',
      'cooperation',
      'операторский пульт сломан',
      'человечество',
      '',
    ])('leaves %p to the bot', (text) => {
      expect(sut.matches(text)).toBe(false);
    });

    it('covers en, ru and fa', () => {
      expect(DEFAULT_HANDOFF_KEYWORDS).toEqual(expect.arrayContaining(['human', 'оператор', 'اپراتور']));
    });
  });

  it('uses only the inbox keywords when it has its own, multi-word ones included', () => {
    const sut = new HandoffKeywordMatcher(['manager', 'live  chat', 'a.b']);
    expect(sut.matches('get me the MANAGER')).toBe(true);
    expect(sut.matches('can we do a live\nchat')).toBe(true);
    expect(sut.matches('a.b')).toBe(true);
    expect(sut.matches('axb')).toBe(false);
    expect(sut.matches('I want a human')).toBe(false);
  });

  it('turns keyword handoff off with an empty list', () => {
    expect(new HandoffKeywordMatcher([]).matches('human operator person')).toBe(false);
  });
});
