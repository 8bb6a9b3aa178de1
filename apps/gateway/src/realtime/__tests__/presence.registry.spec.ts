import { PRESENCE_TTL_MS, PresenceRegistry } from '../presence.registry';

describe(PresenceRegistry.name, () => {
  it('tells who else is in a conversation, forgets those who left or went quiet', () => {
    let now = 1_000_000;
    const sut = new PresenceRegistry(() => now);
    sut.apply('c1', 'ann', 'viewing', 'Ann');
    sut.apply('c1', 'bob', 'typing', 'Bob');
    expect(sut.present('c1', 'ann').map((e) => [e.operatorId, e.state])).toEqual([['bob', 'typing']]);
    sut.apply('c1', 'bob', 'left');
    expect(sut.present('c1', 'ann')).toEqual([]);
    now += PRESENCE_TTL_MS + 1;
    expect(sut.present('c1')).toEqual([]);
  });
});
