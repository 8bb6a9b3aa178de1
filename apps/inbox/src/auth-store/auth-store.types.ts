/** What the gateway learns about an operator (never the hash). */
export interface AuthOperator {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'supervisor' | 'operator';
  availability: 'online' | 'away' | 'offline';
}

/** A login or a refresh: the operator and the (new) refresh token of the session (family). */
export interface IssuedSession {
  operator: AuthOperator;
  refreshToken: string;
  sessionId: string;
  refreshExpiresAt: string;
}

export interface AuthBot {
  id: string;
  name: string;
  inboxIds: string[];
}

/** What an actor may see: every inbox (admins, supervisors) or the listed ones. */
export interface ActorScope {
  active: boolean;
  role: string | null;
  all: boolean;
  inboxIds: string[];
}

/** A message of a web chat thread as the visitor sees it (no notes, no internal fields). */
export interface VisitorMessage {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  senderType: 'contact' | 'operator' | 'bot' | 'system';
  senderName: string | null;
  text: string;
  attachments: unknown[];
  deliveryStatus: string;
  externalId: string | null;
  createdAt: string;
}

export interface ConversationThread {
  conversationId: string;
  inboxId: string;
  channelType: string;
  threadKey: string;
}
