import { randomUUID } from 'node:crypto';
import { ConversationRouter } from '../conversation-router';
import type { OperatorLoad, RoutableConversation } from '../routing.types';

function operator(overrides: Partial<OperatorLoad> = {}): OperatorLoad {
  return { id: randomUUID(), availability: 'online', onShift: true, capacity: 3, active: 0, skills: [], languages: [], lastAssignedAt: null, ...overrides };
}

function conversation(overrides: Partial<RoutableConversation> = {}): RoutableConversation {
  return { id: randomUUID(), inboxId: randomUUID(), teamId: null, requiredSkills: [], language: null, preferredAssigneeId: null, requeuedFromId: null, ...overrides };
}

describe(ConversationRouter.name, () => {
  const sut = new ConversationRouter();

  it('balanced: the operator with the fewest active conversations first', () => {
    const busy = operator({ active: 2 });
    const idle = operator({ active: 0 });
    const some = operator({ active: 1 });
    expect(sut.rank(conversation(), [busy, idle, some], 'balanced').map((o) => o.id)).toEqual([idle.id, some.id, busy.id]);
  });

  it('balanced: ties go to the operator who waited longest since an assignment', () => {
    const recent = operator({ active: 1, lastAssignedAt: new Date('2025-01-01T10:05:00Z') });
    const longAgo = operator({ active: 1, lastAssignedAt: new Date('2025-01-01T09:00:00Z') });
    expect(sut.rank(conversation(), [recent, longAgo], 'balanced')[0].id).toBe(longAgo.id);
  });

  it('round_robin: ignores load, rotates by last assignment', () => {
    const loadedButWaiting = operator({ active: 2, lastAssignedAt: new Date('2025-01-01T09:00:00Z') });
    const idleButRecent = operator({ active: 0, lastAssignedAt: new Date('2025-01-01T10:00:00Z') });
    const never = operator({ active: 1 });
    expect(sut.rank(conversation(), [idleButRecent, loadedButWaiting, never], 'round_robin').map((o) => o.id)).toEqual([
      never.id,
      loadedButWaiting.id,
      idleButRecent.id,
    ]);
  });

  it('never picks an operator at capacity, away or offline', () => {
    const full = operator({ active: 3, capacity: 3 });
    const away = operator({ availability: 'away' });
    const offline = operator({ availability: 'offline' });
    expect(sut.rank(conversation(), [full, away, offline], 'balanced')).toEqual([]);
  });

  it('never picks an online operator who is off shift, however idle', () => {
    const offShift = operator({ onShift: false, active: 0 });
    const onShiftBusy = operator({ active: 2 });
    expect(sut.rank(conversation(), [offShift, onShiftBusy], 'balanced').map((o) => o.id)).toEqual([onShiftBusy.id]);
    expect(sut.rank(conversation(), [offShift], 'round_robin')).toEqual([]);
  });

  it('requires every skill and the required language', () => {
    const billingRu = operator({ skills: ['billing', 'vip'], languages: ['ru', 'en'] });
    const billingEn = operator({ skills: ['billing'], languages: ['en'] });
    const noSkill = operator({ languages: ['ru'] });
    const ranked = sut.rank(conversation({ requiredSkills: ['billing'], language: 'ru' }), [billingEn, noSkill, billingRu], 'balanced');
    expect(ranked.map((o) => o.id)).toEqual([billingRu.id]);
  });

  it('sticky: the preferred operator first even when busier', () => {
    const preferred = operator({ active: 2 });
    const idle = operator();
    expect(sut.rank(conversation({ preferredAssigneeId: preferred.id }), [idle, preferred], 'balanced')[0].id).toBe(preferred.id);
  });

  it('sticky: skips the preferred operator when they are at capacity', () => {
    const preferred = operator({ active: 3 });
    const idle = operator();
    expect(sut.rank(conversation({ preferredAssigneeId: preferred.id }), [idle, preferred], 'balanced').map((o) => o.id)).toEqual([idle.id]);
  });

  it('sticky: skips the preferred operator when they are off shift', () => {
    const preferred = operator({ onShift: false });
    const other = operator({ active: 2 });
    const sticky = conversation({ preferredAssigneeId: preferred.id });
    expect(sut.rank(sticky, [other, preferred], 'balanced').map((o) => o.id)).toEqual([other.id]);
    expect(sut.rank(sticky, [other, preferred], 'manual')).toEqual([]);
  });

  it('tries the operator a conversation was taken back from last', () => {
    const dropped = operator({ active: 0 });
    const other = operator({ active: 2 });
    expect(sut.rank(conversation({ requeuedFromId: dropped.id }), [dropped, other], 'balanced').map((o) => o.id)).toEqual([other.id, dropped.id]);
  });

  it('manual: assigns nobody but a sticky preferred operator', () => {
    const preferred = operator();
    const other = operator();
    expect(sut.rank(conversation(), [preferred, other], 'manual')).toEqual([]);
    expect(sut.rank(conversation({ preferredAssigneeId: preferred.id }), [preferred, other], 'manual').map((o) => o.id)).toEqual([preferred.id]);
  });
});
