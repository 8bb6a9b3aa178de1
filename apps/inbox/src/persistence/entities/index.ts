import { AuditLogEntity } from './audit-log.entity';
import { BotEntity } from './bot.entity';
import { CannedResponseEntity } from './canned-response.entity';
import { ContactIdentityEntity } from './contact-identity.entity';
import { ContactEntity } from './contact.entity';
import { ConversationEventEntity } from './conversation-event.entity';
import { ConversationParticipantEntity } from './conversation-participant.entity';
import { ConversationEntity } from './conversation.entity';
import { HandoffEntity } from './handoff.entity';
import { InboxMemberEntity } from './inbox-member.entity';
import { InboxEntity } from './inbox.entity';
import { MessageEntity } from './message.entity';
import { OperatorEntity } from './operator.entity';
import { OutboxEntity } from './outbox.entity';
import { TeamMemberEntity } from './team-member.entity';
import { TeamEntity } from './team.entity';

export const INBOX_ENTITIES = [
  AuditLogEntity,
  BotEntity,
  CannedResponseEntity,
  ContactIdentityEntity,
  ContactEntity,
  ConversationEventEntity,
  ConversationParticipantEntity,
  ConversationEntity,
  HandoffEntity,
  InboxMemberEntity,
  InboxEntity,
  MessageEntity,
  OperatorEntity,
  OutboxEntity,
  TeamMemberEntity,
  TeamEntity,
];
