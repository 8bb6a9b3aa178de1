import type { ConversationStatus } from '../persistence/entities/conversation.entity';

/** What the thread resolver needs to know about a conversation a message might belong to. */
export interface ThreadCandidate {
  conversationId: string;
  contactId: string;
  status: ConversationStatus;
  resolvedAt: Date | null;
  /** lower-cased addresses / identities known to take part besides the contact */
  participants: ReadonlySet<string>;
}

/** Why a message went where it went (stored on every message as `threading_reason`). */
export type ThreadingReason =
  | 'reply_token'
  | 'references'
  | 'thread_key'
  | 'new'
  | 'new:sender_mismatch'
  | 'new:expired'
  | 'new:invalid_reply_token';

export interface ThreadingRequest {
  /** the contact the sender's identity resolved to */
  senderContactId: string;
  /** lower-cased identities of the sender (channel external id, email address) */
  senderAddresses: readonly string[];
  /** conversation named by a reply token whose signature verified */
  replyTokenConversationId: string | null;
  /** a reply token was present but did not verify */
  replyTokenInvalid: boolean;
  /** conversations holding the referenced messages, most relevant first (In-Reply-To, then References newest → oldest) */
  referencedConversationIds: readonly string[];
  /** conversations with the same thread key in the same inbox, newest first */
  threadKeyConversationIds: readonly string[];
  /** resolved conversations older than this many days start over (null: never) */
  newConversationAfterDays: number | null;
  now: Date;
}

export type ThreadingDecision =
  | { kind: 'existing'; conversationId: string; reason: 'reply_token' | 'references' | 'thread_key' }
  | {
      kind: 'new';
      reason: 'new' | 'new:sender_mismatch' | 'new:expired' | 'new:invalid_reply_token';
      /** the conversation the message pointed at but could not join (shown as a link, never merged) */
      linkedConversationId: string | null;
    };
