import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A bot's structured hand-off to a human. */
@Entity({ name: 'handoffs' })
export class HandoffEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('uuid', { name: 'bot_id', nullable: true }) botId!: string | null;
  @Column('text') summary!: string;
  @Column('text', { nullable: true }) intent!: string | null;
  @Column('jsonb') collected!: Record<string, unknown>;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('text', { nullable: true }) language!: string | null;
  @Column('integer', { nullable: true }) priority!: number | null;
  @Column('uuid', { name: 'team_id', nullable: true }) teamId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
