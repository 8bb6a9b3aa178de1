import type { Actor } from '../audit/conversation-event-record';

export type ActorRole = 'admin' | 'supervisor' | 'operator' | 'bot' | 'system';

/**
 * Who is calling the internal API, as the gateway says (x-actor-id, x-actor-role, x-actor-name after
 * it authenticated them). No headers: the gateway itself (e.g. its web chat channel) — `system`.
 */
export interface RequestActor {
  id: string | null;
  role: ActorRole;
  name: string | null;
}

const ROLES: readonly ActorRole[] = ['admin', 'supervisor', 'operator', 'bot'];

export function parseRequestActor(headers: Record<string, string | string[] | undefined>): RequestActor {
  const first = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = first('x-actor-id');
  const role = first('x-actor-role') as ActorRole | undefined;
  const rawName = first('x-actor-name');
  let name: string | null = null;
  if (rawName) {
    try {
      name = decodeURIComponent(rawName);
    } catch {
      name = rawName;
    }
  }
  if (!id || !role || !ROLES.includes(role) || !/^[0-9a-f-]{36}$/i.test(id)) return { id: null, role: 'system', name };
  return { id, role, name };
}

/** the actor as the audit trail records it */
export function auditActor(actor: RequestActor): Actor {
  if (actor.role === 'system') return { type: 'system', id: null };
  return { type: actor.role === 'bot' ? 'bot' : 'operator', id: actor.id, role: actor.role };
}

/** admins and supervisors (and the gateway itself) see every inbox */
export function seesEverything(actor: RequestActor): boolean {
  return actor.role === 'admin' || actor.role === 'supervisor' || actor.role === 'system';
}
