import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OperatorRole = 'admin' | 'supervisor' | 'operator';
export type Availability = 'online' | 'away' | 'offline';

@Entity({ name: 'operators' })
export class OperatorEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') email!: string;
  @Column('text') name!: string;
  @Column('text') role!: OperatorRole;
  @Column('text', { name: 'password_hash', nullable: true }) passwordHash!: string | null;
  @Column('text', { array: true }) languages!: string[];
  @Column('text', { array: true }) skills!: string[];
  @Column('integer') capacity!: number;
  @Column('text') availability!: Availability;
  @Column('timestamptz', { name: 'availability_changed_at', nullable: true }) availabilityChangedAt!: Date | null;
  @Column('timestamptz', { name: 'last_assigned_at', nullable: true }) lastAssignedAt!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}
