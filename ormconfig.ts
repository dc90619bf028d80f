// The DataSource the TypeORM CLI uses (`npm run migration:run`): the same entities and migrations as
// the app. The embedded database migrates itself at start; the CLI is for an external server.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseConfig } from './src/config/database.config';
import { dataSourceOptions } from './src/database/data-source-options';

const { url } = databaseConfig();
if (!url) {
  throw new Error('Set DATABASE_URL to the Postgres server to migrate (the embedded database migrates itself at start).');
}

export default new DataSource(dataSourceOptions(url));
