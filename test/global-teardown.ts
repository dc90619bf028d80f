import { TEMPLATE_DATABASE, TEST_DATABASE_PREFIX, withAdminClient } from './support/database';

/** Drops what suites left behind (a crashed suite cannot drop its own database). */
export default async function globalTeardown(): Promise<void> {
  await withAdminClient(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${TEST_DATABASE_PREFIX}%`]);
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  });
}
