/** Injection token of the RoutingTrigger. */
export const ROUTING_TRIGGER = Symbol('ROUTING_TRIGGER');

/** How the rest of the service tells routing that there may be work (after a commit). */
export interface RoutingTrigger {
  /** conversations just entered the queue */
  conversationsQueued(conversationIds: readonly string[]): void;
  /** an operator came online or freed capacity */
  capacityChanged(operatorId: string | null): void;
}
