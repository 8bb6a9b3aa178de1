import type { Availability } from '../persistence/entities/operator.entity';
import type { RoutingPolicy } from '../persistence/entities/team.entity';

/** What routing needs to know about a queued conversation. */
export interface RoutableConversation {
  id: string;
  inboxId: string;
  teamId: string | null;
  requiredSkills: readonly string[];
  /** required language, when set (by a hand-off or a supervisor) */
  language: string | null;
  /** sticky reopen: tried first */
  preferredAssigneeId: string | null;
  /** taken back from this operator (left unanswered): tried last */
  requeuedFromId: string | null;
}

/** An operator who may take the conversation (already filtered to its team / inbox members), with their load. */
export interface OperatorLoad {
  id: string;
  availability: Availability;
  /** on shift now (see on-shift.sql.ts; an operator without a schedule always is) */
  onShift: boolean;
  capacity: number;
  /** conversations assigned to them in an active status (open, pending, snoozed) */
  active: number;
  skills: readonly string[];
  languages: readonly string[];
  lastAssignedAt: Date | null;
}

export type { RoutingPolicy };
