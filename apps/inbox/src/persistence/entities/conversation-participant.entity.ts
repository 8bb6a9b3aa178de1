import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A known participant of a conversation besides its contact (e.g. an email address in To/Cc). */
@Entity({ name: 'conversation_participants' })
export class ConversationParticipantEntity {
  @PrimaryColumn('uuid', { name: 'conversation_id' }) conversationId!: string;
  /** lower-cased address or channel identity */
  @PrimaryColumn('text') address!: string;
  @Column('text') source!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
