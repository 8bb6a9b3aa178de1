import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `(channel_type, external_id)` is unique: one channel identity belongs to exactly one contact. */
@Entity({ name: 'contact_identities' })
export class ContactIdentityEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'contact_id' }) contactId!: string;
  @Column('text', { name: 'channel_type' }) channelType!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('text', { name: 'display_name', nullable: true }) displayName!: string | null;
  @Column('text', { nullable: true }) username!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
