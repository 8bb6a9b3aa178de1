import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RoutingPolicy = 'balanced' | 'round_robin' | 'manual';

@Entity({ name: 'teams' })
export class TeamEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'routing_policy' }) routingPolicy!: RoutingPolicy;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt!: Date | null;
}
