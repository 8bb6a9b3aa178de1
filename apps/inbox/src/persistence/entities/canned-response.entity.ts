import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'canned_responses' })
export class CannedResponseEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') shortcut!: string;
  @Column('text') title!: string;
  @Column('text') body!: string;
  @Column('text', { nullable: true }) language!: string | null;
  @Column('uuid', { name: 'inbox_ids', array: true }) inboxIds!: string[];
  @Column('uuid', { name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}
