import { mentionExcerpt, parseMentions, type MentionCandidate } from '../mention.parser';

const operator = (id: string, name: string, email: string): MentionCandidate => ({ id, name, email });

describe(parseMentions.name, () => {
  const dmitry = operator('op-dmitry', 'Дмитрий Кузнецов', 'dmitry.k@shop.example');
  const anna = operator('op-anna', 'Anna Smith', 'anna@shop.example');
  const annaJones = operator('op-anna-j', 'Anna Jones', 'a.jones@shop.example');
  const sara = operator('op-sara', 'سارا احمدی', 'sara@shop.example');
  const bob = operator('op-bob', 'Bob', 'robert@shop.example');

  it('finds an operator by the local part of their e-mail', () => {
    expect(parseMentions('@dmitry.k please look', [dmitry, anna])).toEqual([{ operatorId: 'op-dmitry', name: 'Дмитрий Кузнецов' }]);
  });

  it('finds an operator by a unique Cyrillic first name, case-insensitively', () => {
    expect(parseMentions('@Дмитрий посмотри', [dmitry, anna])).toEqual([{ operatorId: 'op-dmitry', name: 'Дмитрий Кузнецов' }]);
    expect(parseMentions('@дмитрий посмотри', [dmitry])).toEqual([{ operatorId: 'op-dmitry', name: 'Дмитрий Кузнецов' }]);
  });

  it('finds an operator by the full name written with _ or .', () => {
    expect(parseMentions('ask @anna_smith', [anna, annaJones]).map((m) => m.operatorId)).toEqual(['op-anna']);
    expect(parseMentions('ask @Anna.Jones', [anna, annaJones]).map((m) => m.operatorId)).toEqual(['op-anna-j']);
    expect(parseMentions('ask @дмитрий_кузнецов', [dmitry]).map((m) => m.operatorId)).toEqual(['op-dmitry']);
  });

  it('reads a Persian name (letters, no case)', () => {
    expect(parseMentions('@سارا لطفا بررسی کن', [sara, anna]).map((m) => m.operatorId)).toEqual(['op-sara']);
    expect(parseMentions('@سارا_احمدی', [sara]).map((m) => m.operatorId)).toEqual(['op-sara']);
  });

  it('does not guess a first name two candidates share, but an exact handle still works', () => {
    const annaBerg = operator('op-anna-b', 'Anna Berg', 'berg@shop.example');
    expect(parseMentions('@Anna can you check?', [annaJones, annaBerg])).toEqual([]);
    expect(parseMentions('@Anna can you check?', [annaJones])).toEqual([{ operatorId: 'op-anna-j', name: 'Anna Jones' }]);
    // "anna" is also Anna Smith's e-mail handle: that one is exact, so it wins over the shared first name
    expect(parseMentions('@Anna can you check?', [anna, annaJones]).map((m) => m.operatorId)).toEqual(['op-anna']);
    expect(parseMentions('@berg and @a.jones', [annaJones, annaBerg]).map((m) => m.operatorId)).toEqual(['op-anna-b', 'op-anna-j']);
  });

  it('takes a single-word name as the full name', () => {
    expect(parseMentions('@bob?', [bob]).map((m) => m.operatorId)).toEqual(['op-bob']);
    expect(parseMentions('@robert?', [bob]).map((m) => m.operatorId)).toEqual(['op-bob']);
  });

  it('reads a handle before punctuation and trailing separators', () => {
    expect(parseMentions('thanks @dmitry.k.', [dmitry]).map((m) => m.operatorId)).toEqual(['op-dmitry']);
    expect(parseMentions('(@Anna_Smith), see above', [anna]).map((m) => m.operatorId)).toEqual(['op-anna']);
    expect(parseMentions('@anna_smith-ok?', [anna]).map((m) => m.operatorId)).toEqual(['op-anna']);
    expect(parseMentions('@Дмитрий, посмотри', [dmitry]).map((m) => m.operatorId)).toEqual(['op-dmitry']);
  });

  it('lists each operator once, in the order first mentioned', () => {
    const found = parseMentions('@anna_smith and @Дмитрий, then @ANNA again and @dmitry.k', [dmitry, anna]);
    expect(found.map((m) => m.operatorId)).toEqual(['op-anna', 'op-dmitry']);
  });

  it('ignores e-mail addresses, unknown handles and a bare @', () => {
    expect(parseMentions('write to anna@shop.example or dmitry.k@shop.example', [anna, dmitry])).toEqual([]);
    expect(parseMentions('@nobody @ alone @', [anna, dmitry])).toEqual([]);
    expect(parseMentions('@annabelle', [anna])).toEqual([]);
  });

  it('mentions nobody when there are no candidates or no @', () => {
    expect(parseMentions('@anna', [])).toEqual([]);
    expect(parseMentions('anna smith', [anna])).toEqual([]);
  });

  it('matches text written in decomposed Unicode', () => {
    const jose = operator('op-jose', 'José Ruiz', 'jr@shop.example');
    expect(parseMentions('@Jose\u0301 help', [jose]).map((m) => m.operatorId)).toEqual(['op-jose']);
  });
});

describe(mentionExcerpt.name, () => {
  it('keeps a short note whole, on one line', () => {
    expect(mentionExcerpt('  @anna\n\ncan you  check?  ')).toBe('@anna can you check?');
  });

  it('cuts a long note to 140 characters without splitting a character', () => {
    const long = `@anna ${'😀'.repeat(200)}`;
    const cut = mentionExcerpt(long);
    expect(Array.from(cut)).toHaveLength(140);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
