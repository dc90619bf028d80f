import { MigrationInterface, QueryRunner } from 'typeorm';

/** Background re-projections of a connector's stored records after its mapping changed, with progress. */
export class ProjectionJobs1763900000000 implements MigrationInterface {
  name = 'ProjectionJobs1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projection_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        connector_id uuid NOT NULL CONSTRAINT fk_projection_jobs_connector REFERENCES connectors (id) ON DELETE CASCADE,
        status text NOT NULL CONSTRAINT ck_projection_jobs_status CHECK (status IN ('running', 'done', 'failed', 'superseded')),
        total integer NOT NULL,
        processed integer NOT NULL DEFAULT 0,
        error text,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_projection_jobs_connector ON projection_jobs (connector_id, started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projection_jobs`);
  }
}
