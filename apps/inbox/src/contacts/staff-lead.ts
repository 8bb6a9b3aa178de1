import { ForbiddenError } from '@switchboard/common/errors';
import type { RequestActor } from '../http/request-actor';

/** Erasure, merges, exports, scripts' writes and reports: admins and supervisors (and the gateway itself). */
export function requireStaffLead(actor: RequestActor): void {
  if (actor.role !== 'admin' && actor.role !== 'supervisor' && actor.role !== 'system') {
    throw new ForbiddenError('Only an admin or a supervisor may do this', { code: 'SUPERVISOR_REQUIRED' });
  }
}
