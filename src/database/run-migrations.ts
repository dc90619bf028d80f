import { DataSource, MigrationExecutor } from 'typeorm';

// Any number of instances may start at once against one database: an advisory lock makes them
// migrate one after another instead of racing on the same DDL. The migrations run on the connection
// that holds the lock, so this also works with the embedded database's single connection.
const MIGRATION_LOCK = 7_303_771;

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return (await executor.executePendingMigrations()).map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
