import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Directories, connectors, the directory's users/groups/memberships (with provenance), audit events.
 * Sized for millions of users and 100k-member groups: every lookup SCIM or the admin API makes is an
 * index probe, and case-insensitive names are unique per directory through lower() expression indexes.
 */
export class InitialSchema1763860000000 implements MigrationInterface {
  name = 'InitialSchema1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_directories_name ON directories (lower(name))`);
    await q.query(`CREATE UNIQUE INDEX uq_directories_default ON directories ((true)) WHERE is_default`);
    await q.query(`INSERT INTO directories (name, description, is_default) VALUES ('Default', 'Created at first start', true)`);

    await q.query(`
      CREATE TABLE connectors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        idp text NOT NULL CONSTRAINT ck_connectors_idp
          CHECK (idp IN ('okta', 'entra', 'onelogin', 'miniorange', 'jumpcloud', 'google', 'generic')),
        protocol text NOT NULL CONSTRAINT ck_connectors_protocol CHECK (protocol IN ('scim2', 'scim1', 'ldap')),
        directory_id uuid NOT NULL CONSTRAINT fk_connectors_directory REFERENCES directories (id) ON DELETE RESTRICT,
        enabled boolean NOT NULL DEFAULT true,
        settings jsonb NOT NULL DEFAULT '{}',
        token_hash text NOT NULL,
        token_hint text NOT NULL,
        token_created_at timestamptz NOT NULL DEFAULT now(),
        previous_token_hash text,
        previous_token_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_connectors_name ON connectors (lower(name))`);
    await q.query(`CREATE INDEX ix_connectors_directory ON connectors (directory_id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        directory_id uuid NOT NULL CONSTRAINT fk_users_directory REFERENCES directories (id) ON DELETE CASCADE,
        user_name text NOT NULL,
        external_id text,
        email text,
        display_name text,
        given_name text,
        family_name text,
        active boolean NOT NULL DEFAULT true,
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_directory_username ON users (directory_id, lower(user_name))`);
    await q.query(`CREATE INDEX ix_users_directory_external_id ON users (directory_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_users_directory_email ON users (directory_id, lower(email)) WHERE email IS NOT NULL`);

    await q.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        directory_id uuid NOT NULL CONSTRAINT fk_groups_directory REFERENCES directories (id) ON DELETE CASCADE,
        display_name text NOT NULL,
        external_id text,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_groups_directory_display_name ON groups (directory_id, lower(display_name))`);
    await q.query(`CREATE INDEX ix_groups_directory_external_id ON groups (directory_id, external_id) WHERE external_id IS NOT NULL`);

    // One row per grant: a user is in a group as long as any source still grants it, and a source
    // withdrawing removes only its own rows.
    await q.query(`
      CREATE TABLE memberships (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        directory_id uuid NOT NULL CONSTRAINT fk_memberships_directory REFERENCES directories (id) ON DELETE CASCADE,
        group_id uuid NOT NULL CONSTRAINT fk_memberships_group REFERENCES groups (id) ON DELETE CASCADE,
        user_id uuid NOT NULL CONSTRAINT fk_memberships_user REFERENCES users (id) ON DELETE CASCADE,
        source_kind text NOT NULL CONSTRAINT ck_memberships_source_kind
          CHECK (source_kind IN ('connector', 'ldap', 'default_rule', 'admin')),
        source_connector_id uuid,
        source_ref text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE UNIQUE INDEX uq_memberships_grant ON memberships (group_id, user_id, source_kind, source_connector_id, source_ref)
      NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX ix_memberships_user ON memberships (user_id)`);
    await q.query(`CREATE INDEX ix_memberships_source_connector ON memberships (source_connector_id) WHERE source_connector_id IS NOT NULL`);

    // No foreign keys: the trail outlives the connectors and directories it speaks of.
    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        directory_id uuid,
        connector_id uuid,
        target_type text,
        target_id text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    // The trail is read newest first by id (ids grow with time), all of it or per connector or
    // directory; every SCIM write adds a row, so no index beyond what those reads use.
    await q.query(`CREATE INDEX ix_audit_events_connector ON audit_events (connector_id, id DESC) WHERE connector_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_audit_events_directory ON audit_events (directory_id, id DESC) WHERE directory_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE instance_settings (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['instance_settings', 'audit_events', 'memberships', 'groups', 'users', 'connectors', 'directories']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
