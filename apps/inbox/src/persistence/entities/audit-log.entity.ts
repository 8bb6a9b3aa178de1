import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Privileged acts (administration, erasure, export, merges). */
@Entity({ name: 'audit_log' })
export class AuditLogEntity {
  @PrimaryColumn('bigint') id!: string;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column('text', { name: 'actor_role', nullable: true }) actorRole!: string | null;
  @Column('text') action!: string;
  @Column('text', { name: 'target_type' }) targetType!: string;
  @Column('text', { name: 'target_id', nullable: true }) targetId!: string | null;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
