// The ceiling the benchmark compares Roster with: a bare Fastify route (no Nest, no ORM, no SCIM)
// doing the same single-row insert and the same point lookup through `pg`, into a table with the
// same indexes as scim_users. Started as a child process, like Roster, and driven by the same client.
import Fastify from 'fastify';
import pg from 'pg';

async function main() {
  const url = process.env.DATABASE_URL!;
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query(`
    CREATE TABLE IF NOT EXISTS baseline_users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      connector_id uuid NOT NULL,
      user_name text NOT NULL,
      external_id text,
      display_name text,
      active boolean NOT NULL DEFAULT true,
      data jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE UNIQUE INDEX IF NOT EXISTS uq_baseline_users_username ON baseline_users (connector_id, lower(user_name));
    CREATE INDEX IF NOT EXISTS ix_baseline_users_external_id ON baseline_users (connector_id, external_id) WHERE external_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ix_baseline_users_created ON baseline_users (connector_id, created_at, id);
    CREATE INDEX IF NOT EXISTS ix_baseline_users_emails ON baseline_users USING gin (roster_email_values(data));`);
  const connector = '00000000-0000-4000-8000-000000000001';
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/scim+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.post('/users', async (request, reply) => {
    const body = request.body as { userName: string; externalId?: string; displayName?: string };
    const { rows } = await pool.query(
      `INSERT INTO baseline_users (connector_id, user_name, external_id, display_name, data) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
      [connector, body.userName, body.externalId ?? null, body.displayName ?? null, body],
    );
    return reply.status(201).send({ ...body, id: rows[0].id });
  });
  app.get('/users', async (request) => {
    const { userName } = request.query as { userName: string };
    const { rows } = await pool.query(`SELECT id, data FROM baseline_users WHERE connector_id = $1 AND lower(user_name) = lower($2)`, [connector, userName]);
    return { totalResults: rows.length, Resources: rows.map((r) => ({ id: r.id, ...r.data })) };
  });
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  process.stdout.write('ready\n');
  const stop = async () => {
    await app.close();
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
