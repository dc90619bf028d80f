import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MembershipSource = 'connector' | 'ldap' | 'default_rule' | 'admin';

/** One grant of a group to a user; the user is a member while any grant remains. */
@Entity({ name: 'memberships' })
export class Membership {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'directory_id', type: 'uuid' })
  directoryId: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'source_kind', type: 'text' })
  sourceKind: MembershipSource;

  @Column({ name: 'source_connector_id', type: 'uuid', nullable: true })
  sourceConnectorId: string | null;

  /** What within the source granted it: the IdP group id, the rule name. */
  @Column({ name: 'source_ref', type: 'text', default: '' })
  sourceRef: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
