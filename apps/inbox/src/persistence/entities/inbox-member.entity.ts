import { Entity, PrimaryColumn } from 'typeorm';

/** Operators belong to inboxes: they see and are routed that inbox's conversations. */
@Entity({ name: 'inbox_members' })
export class InboxMemberEntity {
  @PrimaryColumn('uuid', { name: 'inbox_id' }) inboxId!: string;
  @PrimaryColumn('uuid', { name: 'operator_id' }) operatorId!: string;
}
