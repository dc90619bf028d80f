import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory projection: each connector's records (a SCIM user, later an LDAP entry) linked to the
 * directory user they feed, with the rule behind each field; the standard fields a mapping can write
 * as columns (custom attributes live in users.attributes).
 */
export class DirectoryProjection1763890000000 implements MigrationInterface {
  name = 'DirectoryProjection1763890000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN phone text,
        ADD COLUMN title text,
        ADD COLUMN department text,
        ADD COLUMN manager text,
        ADD COLUMN employee_number text`);
    await q.query(`
      CREATE TABLE user_sources (
        connector_id uuid NOT NULL CONSTRAINT fk_user_sources_connector REFERENCES connectors (id) ON DELETE CASCADE,
        -- The record at the connector: a scim_users id, or an LDAP entry's DN.
        source_ref text NOT NULL,
        user_id uuid NOT NULL CONSTRAINT fk_user_sources_user REFERENCES users (id) ON DELETE CASCADE,
        -- Which mapping rule produced each field (rule index, "default" or "kept").
        provenance jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT pk_user_sources PRIMARY KEY (connector_id, source_ref)
      )`);
    await q.query(`CREATE INDEX ix_user_sources_user ON user_sources (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_sources`);
    await q.query(`ALTER TABLE users DROP COLUMN phone, DROP COLUMN title, DROP COLUMN department, DROP COLUMN manager, DROP COLUMN employee_number`);
  }
}
