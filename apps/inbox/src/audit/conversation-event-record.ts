import type { ActorType } from '../persistence/entities/conversation-event.entity';

/** Who did something: an operator, a bot, the system (routing, timers, ingestion) or the contact. */
export interface Actor {
  type: ActorType;
  id: string | null;
  role?: string;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

/** One row of a conversation's audit trail. */
export interface ConversationEventRecord {
  conversationId: string;
  actor: Actor;
  action: string;
  reason: string | null;
  data: Record<string, unknown>;
}
