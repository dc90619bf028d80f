import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const IDP_PRESETS = ['okta', 'entra', 'onelogin', 'miniorange', 'jumpcloud', 'google', 'generic'] as const;
export type IdpPreset = (typeof IDP_PRESETS)[number];
export const PROTOCOLS = ['scim2', 'scim1', 'ldap'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

@Entity({ name: 'connectors' })
export class Connector {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  idp: IdpPreset;

  @Column({ type: 'text' })
  protocol: Protocol;

  @Column({ name: 'directory_id', type: 'uuid' })
  directoryId: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'jsonb', default: {} })
  settings: object;

  /** SHA-256 of the bearer token (tokens are 256-bit random, so a fast hash is the right one). */
  @Column({ name: 'token_hash', type: 'text', select: false })
  tokenHash: string;

  /** The token's first characters, so admins can tell tokens apart without seeing them. */
  @Column({ name: 'token_hint', type: 'text' })
  tokenHint: string;

  @Column({ name: 'token_created_at', type: 'timestamptz' })
  tokenCreatedAt: Date;

  @Column({ name: 'previous_token_hash', type: 'text', nullable: true, select: false })
  previousTokenHash: string | null;

  @Column({ name: 'previous_token_expires_at', type: 'timestamptz', nullable: true })
  previousTokenExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
