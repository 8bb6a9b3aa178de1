/** The roles (API.md, "Auth"). */
export const ROLES = ['admin', 'supervisor', 'operator', 'bot'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: an operator (admin / supervisor / operator) with a session, or a bot with its token. */
export interface Actor {
  kind: 'operator' | 'bot';
  id: string;
  role: Role;
  name?: string;
  /** the operator's session (refresh-token family); logout ends it */
  sessionId?: string;
  /** a bot's inboxes (from its token) */
  inboxIds?: string[];
}
