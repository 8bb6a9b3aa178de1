import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ActorType = 'operator' | 'bot' | 'system' | 'contact';

/** The audit trail of a conversation: every state change, who did it and why. */
@Entity({ name: 'conversation_events' })
export class ConversationEventEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('text', { name: 'actor_type' }) actorType!: ActorType;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text') action!: string;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
