import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EncryptedSecret } from '@switchboard/common';
import type { RoutingPolicy } from './team.entity';

/** One channel account (an email mailbox, a Telegram bot, a web chat widget) and its policies. */
@Entity({ name: 'inboxes' })
export class InboxEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'channel_type' }) channelType!: string;
  @Column('text') name!: string;
  @Column('boolean') enabled!: boolean;
  @Column('jsonb') settings!: Record<string, unknown>;
  /** secrets by dotted config path, AES-256-GCM encrypted; never returned by the API */
  @Column('jsonb') secrets!: Record<string, EncryptedSecret>;
  @Column('integer', { name: 'config_version' }) configVersion!: number;
  @Column('text', { name: 'public_key', nullable: true }) publicKey!: string | null;
  @Column('uuid', { name: 'default_team_id', nullable: true }) defaultTeamId!: string | null;
  @Column('uuid', { name: 'bot_id', nullable: true }) botId!: string | null;
  @Column('text', { name: 'routing_policy' }) routingPolicy!: RoutingPolicy;
  /** reopen: back to the previous operator when they are available */
  @Column('boolean') sticky!: boolean;
  /** a message to a conversation resolved more than N days ago opens a new one (email) */
  @Column('integer', { name: 'new_conversation_after_days', nullable: true }) newConversationAfterDays!: number | null;
  /** an assigned conversation left unanswered this long goes back to the queue */
  @Column('integer', { name: 'unanswered_timeout_seconds', nullable: true }) unansweredTimeoutSeconds!: number | null;
  @Column('integer', { name: 'first_response_sla_seconds', nullable: true }) firstResponseSlaSeconds!: number | null;
  @Column('integer', { name: 'resolution_sla_seconds', nullable: true }) resolutionSlaSeconds!: number | null;
  @Column('text', { name: 'channel_status' }) channelStatus!: string;
  @Column('text', { name: 'channel_status_reason', nullable: true }) channelStatusReason!: string | null;
  @Column('timestamptz', { name: 'channel_status_at', nullable: true }) channelStatusAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}
