/** Injection token of RoutingOptions. */
export const ROUTING_OPTIONS = Symbol('ROUTING_OPTIONS');

export interface RoutingOptions {
  /** timer sweep period (unanswered, snoozed, queue); 0 disables the timer */
  sweepIntervalMs: number;
  /** assignments one instance runs at once while draining the queue */
  workers: number;
}
