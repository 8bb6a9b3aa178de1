import type { Actor } from '../auth/actor';
import type { ActorScope } from './actor-scope.service';
import type { EventAudience } from './operator-event';

/** Socket.IO rooms of the operators' namespace. */
export const Rooms = {
  /** admins and supervisors: everything */
  everything: 'scope:all',
  inbox: (inboxId: string) => `inbox:${inboxId}`,
  /** bots' view of an inbox (no internal notes) */
  botInbox: (inboxId: string) => `bot-inbox:${inboxId}`,
  actor: (actorId: string) => `actor:${actorId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
};

/** the rooms a socket belongs to for its scope */
export function roomsForScope(actor: Actor, scope: ActorScope): string[] {
  const rooms = [Rooms.actor(actor.id)];
  if (actor.role === 'bot') rooms.push(...scope.inboxIds.map(Rooms.botInbox));
  else if (scope.all) rooms.push(Rooms.everything);
  else rooms.push(...scope.inboxIds.map(Rooms.inbox));
  return rooms;
}

/** the rooms an event goes to */
export function roomsForAudience(audience: EventAudience): string[] {
  if (audience.operatorId) return [Rooms.actor(audience.operatorId)];
  const rooms = [Rooms.everything];
  if (audience.inboxId) {
    rooms.push(Rooms.inbox(audience.inboxId));
    if (!audience.staffOnly) rooms.push(Rooms.botInbox(audience.inboxId));
  }
  if (audience.assigneeId) rooms.push(Rooms.actor(audience.assigneeId));
  return rooms;
}

/** the same rule for one socket (replays): may this actor with this scope see the event? */
export function mayReceive(actor: Actor, scope: ActorScope, audience: EventAudience): boolean {
  if (audience.operatorId) return audience.operatorId === actor.id;
  if (audience.assigneeId === actor.id) return true;
  if (actor.role === 'bot')
    return !audience.staffOnly && !!audience.inboxId && scope.inboxIds.includes(audience.inboxId);
  if (scope.all) return true;
  return !!audience.inboxId && scope.inboxIds.includes(audience.inboxId);
}
