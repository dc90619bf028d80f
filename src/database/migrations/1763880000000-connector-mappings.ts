import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A connector's attribute mapping, when an admin replaced its IdP preset's default. No row: the
 * preset's mapping applies (it follows Roster upgrades instead of being frozen at creation).
 */
export class ConnectorMappings1763880000000 implements MigrationInterface {
  name = 'ConnectorMappings1763880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connector_mappings (
        connector_id uuid PRIMARY KEY CONSTRAINT fk_connector_mappings_connector REFERENCES connectors (id) ON DELETE CASCADE,
        mapping jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_mappings`);
  }
}
