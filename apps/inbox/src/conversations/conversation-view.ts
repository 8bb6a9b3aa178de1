import type { ConversationEntity } from '../persistence/entities/conversation.entity';

/** A conversation with the names its snapshot shows. */
export interface ConversationView {
  conversation: ConversationEntity;
  channel: string;
  contactName: string | null;
  assigneeName: string | null;
  teamName: string | null;
}

/** SQL joins producing the extra columns of a ConversationView for conversations aliased `c`. */
export const CONVERSATION_VIEW_JOINS = `
  JOIN inboxes vi ON vi.id = c.inbox_id
  JOIN contacts vct ON vct.id = c.contact_id
  LEFT JOIN operators va ON va.id = c.assignee_id
  LEFT JOIN teams vt ON vt.id = c.team_id`;

export const CONVERSATION_VIEW_EXTRA_COLUMNS = `vi.channel_type AS "viewChannel", vct.name AS "viewContactName", va.name AS "viewAssigneeName", vt.name AS "viewTeamName"`;
