import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EncryptedSecret } from '@switchboard/common';

@Entity({ name: 'bots' })
export class BotEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl!: string | null;
  @Column('jsonb', { name: 'webhook_secret', nullable: true }) webhookSecret!: EncryptedSecret | null;
  @Column('text', { name: 'token_hash', nullable: true }) tokenHash!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}
