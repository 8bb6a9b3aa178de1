import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ConversationStatus = 'bot' | 'queued' | 'open' | 'pending' | 'snoozed' | 'resolved';
export type ConversationType = 'question' | 'complaint' | 'claim' | 'request';

@Entity({ name: 'conversations' })
export class ConversationEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'inbox_id' }) inboxId!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('text', { name: 'thread_key' }) threadKey!: string;
  @Column('text', { nullable: true }) subject!: string | null;
  @Column('text') status!: ConversationStatus;
  @Column('integer') priority!: number;
  @Column('text', { nullable: true }) type!: ConversationType | null;
  @Column('text', { array: true }) labels!: string[];
  @Column('jsonb') attributes!: Record<string, unknown>;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId!: string | null;
  @Column('uuid', { name: 'team_id', nullable: true }) teamId!: string | null;
  @Column('uuid', { name: 'previous_assignee_id', nullable: true }) previousAssigneeId!: string | null;
  /** sticky reopen: routing tries this operator first */
  @Column('uuid', { name: 'preferred_assignee_id', nullable: true }) preferredAssigneeId!: string | null;
  /** taken back from this operator (unanswered): routing tries them last */
  @Column('uuid', { name: 'requeued_from_id', nullable: true }) requeuedFromId!: string | null;
  @Column('text', { name: 'required_skills', array: true }) requiredSkills!: string[];
  @Column('text', { nullable: true }) language!: string | null;
  @Column('timestamptz', { name: 'waiting_since', nullable: true }) waitingSince!: Date | null;
  @Column('timestamptz', { name: 'first_response_at', nullable: true }) firstResponseAt!: Date | null;
  @Column('timestamptz', { name: 'first_response_due_at', nullable: true }) firstResponseDueAt!: Date | null;
  @Column('timestamptz', { name: 'resolution_due_at', nullable: true }) resolutionDueAt!: Date | null;
  @Column('timestamptz', { name: 'last_inbound_at', nullable: true }) lastInboundAt!: Date | null;
  @Column('timestamptz', { name: 'last_outbound_at', nullable: true }) lastOutboundAt!: Date | null;
  @Column('timestamptz', { name: 'last_message_at' }) lastMessageAt!: Date;
  @Column('text', { name: 'last_message_preview', nullable: true }) lastMessagePreview!: string | null;
  @Column('timestamptz', { name: 'assigned_at', nullable: true }) assignedAt!: Date | null;
  @Column('timestamptz', { name: 'snoozed_until', nullable: true }) snoozedUntil!: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  /** a stranger's reply to this thread opened that conversation instead (never merged) */
  @Column('uuid', { name: 'linked_conversation_id', nullable: true }) linkedConversationId!: string | null;
  @Column('uuid', { name: 'merged_into_id', nullable: true }) mergedIntoId!: string | null;
  @Column('integer') version!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
