import type { Actor } from '../../auth/actor';
import { mayReceive, Rooms, roomsForAudience, roomsForScope } from '../operator-rooms';

const operator: Actor = { kind: 'operator', id: 'op-1', role: 'operator' };
const admin: Actor = { kind: 'operator', id: 'admin-1', role: 'admin' };
const bot: Actor = { kind: 'bot', id: 'bot-1', role: 'bot' };

describe('operator rooms', () => {
  it('puts sockets in the rooms of their scope', () => {
    expect(roomsForScope(operator, { active: true, all: false, inboxIds: ['x', 'y'] })).toEqual([
      Rooms.actor('op-1'),
      Rooms.inbox('x'),
      Rooms.inbox('y'),
    ]);
    expect(roomsForScope(admin, { active: true, all: true, inboxIds: [] })).toEqual([
      Rooms.actor('admin-1'),
      Rooms.everything,
    ]);
    expect(roomsForScope(bot, { active: true, all: false, inboxIds: ['x'] })).toEqual([
      Rooms.actor('bot-1'),
      Rooms.botInbox('x'),
    ]);
  });

  it('sends a conversation event to everyone, its inbox, its bots and its assignee; a note not to bots; a notification to its operator only', () => {
    expect(roomsForAudience({ inboxId: 'x', assigneeId: 'op-2' })).toEqual([
      Rooms.everything,
      Rooms.inbox('x'),
      Rooms.botInbox('x'),
      Rooms.actor('op-2'),
    ]);
    expect(roomsForAudience({ inboxId: 'x', staffOnly: true })).toEqual([Rooms.everything, Rooms.inbox('x')]);
    expect(roomsForAudience({ operatorId: 'op-3', inboxId: 'x' })).toEqual([Rooms.actor('op-3')]);
  });

  it('applies the same rule to replays', () => {
    const scope = { active: true, all: false, inboxIds: ['x'] };
    expect(mayReceive(operator, scope, { inboxId: 'x' })).toBe(true);
    expect(mayReceive(operator, scope, { inboxId: 'y' })).toBe(false);
    expect(mayReceive(operator, scope, { inboxId: 'y', assigneeId: 'op-1' })).toBe(true);
    expect(mayReceive(operator, scope, { operatorId: 'op-2' })).toBe(false);
    expect(mayReceive(admin, { active: true, all: true, inboxIds: [] }, { inboxId: 'y' })).toBe(true);
    expect(mayReceive(admin, { active: true, all: true, inboxIds: [] }, { operatorId: 'op-1' })).toBe(false);
    expect(mayReceive(bot, scope, { inboxId: 'x', staffOnly: true })).toBe(false);
    expect(mayReceive(bot, scope, { inboxId: 'x' })).toBe(true);
  });
});
