import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each connector's SCIM view: the resources exactly as its IdP wrote them (what SCIM GET returns).
 * Hot lookups are columns with expression indexes (userName case-insensitive, externalId, group
 * displayName); everything else lives in `data` (jsonb). Group members are rows, never an array, so a
 * 100,000-member group changes by set operations.
 */
export class ScimResources1763870000000 implements MigrationInterface {
  name = 'ScimResources1763870000000';

  async up(q: QueryRunner): Promise<void> {
    // Lower-cased email values of a SCIM resource, for the GIN index behind `emails[...].value eq`.
    await q.query(`
      CREATE FUNCTION roster_email_values(resource jsonb) RETURNS text[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(lower(e->>'value')) FILTER (WHERE e->>'value' IS NOT NULL), '{}')
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(resource->'emails') = 'array' THEN resource->'emails' ELSE '[]'::jsonb END) AS e
      $$`);

    await q.query(`
      CREATE TABLE scim_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connector_id uuid NOT NULL CONSTRAINT fk_scim_users_connector REFERENCES connectors (id) ON DELETE CASCADE,
        user_name text NOT NULL,
        external_id text,
        display_name text,
        active boolean NOT NULL DEFAULT true,
        data jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        -- clock_timestamp: resources created in one transaction (Bulk) keep their order.
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_scim_users_connector_username ON scim_users (connector_id, lower(user_name))`);
    // externalId is the IdP's own key, not unique here: Microsoft's SCIM validator posts several live
    // users (and groups) with the same externalId and expects 201 for each.
    await q.query(`CREATE INDEX ix_scim_users_connector_external_id ON scim_users (connector_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_scim_users_connector_created ON scim_users (connector_id, created_at, id)`);
    await q.query(`CREATE INDEX ix_scim_users_emails ON scim_users USING gin (roster_email_values(data))`);

    await q.query(`
      CREATE TABLE scim_groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connector_id uuid NOT NULL CONSTRAINT fk_scim_groups_connector REFERENCES connectors (id) ON DELETE CASCADE,
        display_name text NOT NULL,
        external_id text,
        data jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        -- clock_timestamp: resources created in one transaction (Bulk) keep their order.
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_scim_groups_connector_display_name ON scim_groups (connector_id, lower(display_name))`);
    await q.query(`CREATE INDEX ix_scim_groups_connector_external_id ON scim_groups (connector_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_scim_groups_connector_created ON scim_groups (connector_id, created_at, id)`);

    // IdPs load in bursts (an initial import, a Bulk request): analyse after 2% changes rather than
    // autovacuum's default 10%, so the planner's row estimates catch up before listings go wrong.
    for (const table of ['scim_users', 'scim_groups']) {
      await q.query(`ALTER TABLE ${table} SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500)`);
    }

    // A member is a user or a group of the same connector (no foreign key can say "either"; the
    // services delete member rows together with the resource).
    await q.query(`
      CREATE TABLE scim_group_members (
        group_id uuid NOT NULL CONSTRAINT fk_scim_group_members_group REFERENCES scim_groups (id) ON DELETE CASCADE,
        member_id uuid NOT NULL,
        member_type text NOT NULL CONSTRAINT ck_scim_group_members_type CHECK (member_type IN ('User', 'Group')),
        connector_id uuid NOT NULL,
        -- The member's display as the IdP sent it (rendered back; the member's own name otherwise).
        display text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT pk_scim_group_members PRIMARY KEY (group_id, member_id)
      )`);
    await q.query(`CREATE INDEX ix_scim_group_members_member ON scim_group_members (member_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE scim_group_members`);
    await q.query(`DROP TABLE scim_groups`);
    await q.query(`DROP TABLE scim_users`);
    await q.query(`DROP FUNCTION roster_email_values(jsonb)`);
  }
}
