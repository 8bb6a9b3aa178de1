import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BlobRef } from '@switchboard/common';

export type MessageDirection = 'inbound' | 'outbound';
export type SenderType = 'contact' | 'operator' | 'bot' | 'system';
export type MessageKind = 'message' | 'note' | 'event';
export type DeliveryStatus = 'received' | 'pending' | 'sent' | 'failed';

@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'conversation_id' }) conversationId!: string;
  @Column('uuid', { name: 'inbox_id' }) inboxId!: string;
  @Column('text') direction!: MessageDirection;
  @Column('text', { name: 'sender_type' }) senderType!: SenderType;
  @Column('uuid', { name: 'sender_id', nullable: true }) senderId!: string | null;
  @Column('text') kind!: MessageKind;
  @Column('text', { nullable: true }) subject!: string | null;
  @Column('text') text!: string;
  @Column('text', { nullable: true }) html!: string | null;
  @Column('text', { name: 'quoted_text', nullable: true }) quotedText!: string | null;
  @Column('jsonb') attachments!: BlobRef[];
  @Column('jsonb', { name: 'refused_attachments' }) refusedAttachments!: unknown[];
  /** the channel's id of this message (email Message-ID, Telegram chat:message_id); unique per inbox */
  @Column('text', { name: 'external_id', nullable: true }) externalId!: string | null;
  @Column('text', { name: 'in_reply_to', nullable: true }) inReplyTo!: string | null;
  @Column('text', { array: true }) references!: string[];
  @Column('text', { name: 'delivery_status' }) deliveryStatus!: DeliveryStatus;
  @Column('text', { name: 'failure_code', nullable: true }) failureCode!: string | null;
  @Column('text', { name: 'failure_reason', nullable: true }) failureReason!: string | null;
  /** why it was put in this conversation: reply_token, references, thread_key, new, new:sender_mismatch, … */
  @Column('text', { name: 'threading_reason', nullable: true }) threadingReason!: string | null;
  @Column('boolean', { name: 'auto_reply' }) autoReply!: boolean;
  @Column('boolean') pinned!: boolean;
  @Column('jsonb', { name: 'channel_metadata', nullable: true }) channelMetadata!: Record<string, unknown> | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @Column('timestamptz', { name: 'edited_at', nullable: true }) editedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
