import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Instance-wide key/value state, such as the hash of a generated admin token. */
@Entity({ name: 'instance_settings' })
export class InstanceSetting {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'jsonb' })
  value: unknown;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
