import type { OperatorLoad, RoutableConversation, RoutingPolicy } from './routing.types';

/**
 * Chooses who gets a queued conversation (DESIGN.md, "Routing and assignment"). Eligible: online,
 * on shift (the sticky operator too), active conversations below capacity, every required skill, the required language. Order:
 * - the preferred operator (sticky reopen) first, the operator it was taken back from last;
 * - `balanced`: fewest active, ties → longest since their last assignment;
 * - `round_robin`: longest since their last assignment (never assigned first);
 * - `manual`: nobody but the preferred operator — everyone else picks from the queue.
 * Pure: the caller loads the candidates and re-checks capacity under a row lock before assigning.
 */
export class ConversationRouter {
  isEligible(conversation: RoutableConversation, operator: OperatorLoad): boolean {
    if (operator.availability !== 'online') return false;
    if (!operator.onShift) return false;
    if (operator.active >= operator.capacity) return false;
    if (!conversation.requiredSkills.every((skill) => operator.skills.includes(skill))) return false;
    if (conversation.language && !operator.languages.includes(conversation.language)) return false;
    return true;
  }

  /** eligible operators, best first */
  rank(conversation: RoutableConversation, operators: readonly OperatorLoad[], policy: RoutingPolicy): OperatorLoad[] {
    const eligible = operators.filter((operator) => this.isEligible(conversation, operator));
    if (policy === 'manual') {
      return eligible.filter((operator) => operator.id === conversation.preferredAssigneeId);
    }
    const lastAssigned = (operator: OperatorLoad): number => operator.lastAssignedAt?.getTime() ?? 0;
    const tier = (operator: OperatorLoad): number => {
      if (operator.id === conversation.preferredAssigneeId) return 0;
      if (operator.id === conversation.requeuedFromId) return 2;
      return 1;
    };
    return [...eligible].sort((a, b) => {
      const byTier = tier(a) - tier(b);
      if (byTier !== 0) return byTier;
      if (policy === 'balanced' && a.active !== b.active) return a.active - b.active;
      const byLast = lastAssigned(a) - lastAssigned(b);
      if (byLast !== 0) return byLast;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }
}
