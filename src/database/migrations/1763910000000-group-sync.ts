import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Group sync and lifecycle: each record's lifecycle state on its link, the deprovisions a connector
 * made (counted by the mass-deprovisioning brake) and the holds the brake put on them, and the kind of
 * a background job (a mapping change re-projects users, a group-settings change re-plans memberships).
 */
export class GroupSync1763910000000 implements MigrationInterface {
  name = 'GroupSync1763910000000';

  async up(q: QueryRunner): Promise<void> {
    // `deprovisioned`: why the connector deprovisions the record's directory user (deactivated,
    // outOfScope, dropped), NULL while it does not; `lifecycle_action`: what was done about it
    // (disable, delete, anonymise, keep, held for the brake, or NULL when an admin discarded the hold).
    // A directory user deleted by a lifecycle rule leaves its link behind with user_id NULL, so the
    // record is not projected again until the reason ends.
    await q.query(`
      ALTER TABLE user_sources
        ADD COLUMN deprovisioned text CONSTRAINT ck_user_sources_deprovisioned CHECK (deprovisioned IN ('deactivated', 'outOfScope', 'dropped')),
        ADD COLUMN lifecycle_action text CONSTRAINT ck_user_sources_lifecycle_action CHECK (lifecycle_action IN ('disable', 'delete', 'anonymise', 'keep', 'held')),
        ALTER COLUMN user_id DROP NOT NULL,
        DROP CONSTRAINT fk_user_sources_user,
        ADD CONSTRAINT fk_user_sources_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL`);

    await q.query(`
      CREATE TABLE deprovision_holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connector_id uuid NOT NULL CONSTRAINT fk_deprovision_holds_connector REFERENCES connectors (id) ON DELETE CASCADE,
        status text NOT NULL CONSTRAINT ck_deprovision_holds_status CHECK (status IN ('open', 'approved', 'discarded')),
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        decided_at timestamptz,
        decided_by text
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_deprovision_holds_open ON deprovision_holds (connector_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX ix_deprovision_holds_connector ON deprovision_holds (connector_id, created_at DESC)`);

    // No foreign key to users: the row outlives a deleted directory user.
    await q.query(`
      CREATE TABLE deprovisions (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        connector_id uuid NOT NULL CONSTRAINT fk_deprovisions_connector REFERENCES connectors (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        source_ref text NOT NULL,
        event text NOT NULL CONSTRAINT ck_deprovisions_event CHECK (event IN ('deactivated', 'deleted', 'outOfScope', 'dropped')),
        action text NOT NULL CONSTRAINT ck_deprovisions_action CHECK (action IN ('disable', 'delete', 'anonymise')),
        status text NOT NULL CONSTRAINT ck_deprovisions_status CHECK (status IN ('applied', 'held', 'approved', 'discarded')),
        hold_id uuid CONSTRAINT fk_deprovisions_hold REFERENCES deprovision_holds (id) ON DELETE CASCADE,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX ix_deprovisions_connector_created ON deprovisions (connector_id, created_at)`);
    await q.query(`CREATE INDEX ix_deprovisions_hold ON deprovisions (hold_id) WHERE hold_id IS NOT NULL`);

    // A membership's directory is its group's (groups cascade with their directory): the foreign key
    // only cost a lookup per row of every 1,000-member grant.
    await q.query(`ALTER TABLE memberships DROP CONSTRAINT fk_memberships_directory`);

    // Group pushes add memberships by the thousand: analyse early, as for the SCIM tables.
    for (const table of ['memberships', 'user_sources', 'users']) {
      await q.query(`ALTER TABLE ${table} SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500)`);
    }

    await q.query(`ALTER TABLE projection_jobs ADD COLUMN kind text NOT NULL DEFAULT 'mapping' CONSTRAINT ck_projection_jobs_kind CHECK (kind IN ('mapping', 'groups'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE projection_jobs DROP COLUMN kind`);
    await q.query(`ALTER TABLE memberships ADD CONSTRAINT fk_memberships_directory FOREIGN KEY (directory_id) REFERENCES directories (id) ON DELETE CASCADE`);
    await q.query(`DROP TABLE deprovisions`);
    await q.query(`DROP TABLE deprovision_holds`);
    await q.query(`DELETE FROM user_sources WHERE user_id IS NULL`);
    await q.query(`
      ALTER TABLE user_sources
        DROP COLUMN deprovisioned,
        DROP COLUMN lifecycle_action,
        ALTER COLUMN user_id SET NOT NULL,
        DROP CONSTRAINT fk_user_sources_user,
        ADD CONSTRAINT fk_user_sources_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE`);
  }
}
