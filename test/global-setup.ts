import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrations } from '../src/database/run-migrations';
import { adminUrl, databaseUrl, TEMPLATE_DATABASE, withAdminClient } from './support/database';

/** Migrates a template database once per run; every suite clones it. */
export default async function globalSetup(): Promise<void> {
  try {
    await withAdminClient((c) => c.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `The e2e tests need Postgres at ${adminUrl()} (set TEST_DATABASE_URL to use another server): ${String(error)}`,
    );
  }
  await withAdminClient(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl(TEMPLATE_DATABASE), { poolSize: 1 })).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
