import { ForbiddenError } from '@switchboard/common/errors';
import type { RequestActor } from './request-actor';

/** Writes of administration need an admin (the gateway checks too; this is the inbox's own line). */
export function requireAdmin(actor: RequestActor): void {
  if (actor.role !== 'admin' && actor.role !== 'system') throw new ForbiddenError('Only an admin may do this', { code: 'ADMIN_REQUIRED' });
}

/** Reads of administration: admins and supervisors. */
export function requireSupervisor(actor: RequestActor): void {
  if (actor.role !== 'admin' && actor.role !== 'supervisor' && actor.role !== 'system') {
    throw new ForbiddenError('Only an admin or a supervisor may see this', { code: 'SUPERVISOR_REQUIRED' });
  }
}
