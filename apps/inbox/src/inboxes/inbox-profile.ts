import type { RoutingPolicy } from '../persistence/entities/team.entity';
import type { InboxPolicy } from '../conversations/conversation-lifecycle';

/** What the hot path needs to know about an inbox (cached briefly by InboxDirectory). */
export interface InboxProfile extends InboxPolicy {
  id: string;
  channelType: string;
  name: string;
  enabled: boolean;
  deleted: boolean;
  defaultTeamName: string | null;
  routingPolicy: RoutingPolicy;
  newConversationAfterDays: number | null;
  unansweredTimeoutSeconds: number | null;
  /** addresses that belong to the inbox itself (found in its settings): never a conversation participant */
  ownAddresses: ReadonlySet<string>;
}
