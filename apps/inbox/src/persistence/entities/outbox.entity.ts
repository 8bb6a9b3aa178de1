import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A record to publish, written in the same transaction as the change it announces; deleted once published. */
@Entity({ name: 'outbox' })
export class OutboxEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('text') topic!: string;
  @Column('text') key!: string;
  /** the serialized CloudEvent */
  @Column('text') value!: string;
  @Column('jsonb') headers!: Record<string, string>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
