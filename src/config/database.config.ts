import { registerAs } from '@nestjs/config';
import { resolve } from 'node:path';
import { validateEnvironment } from './environment';

export interface DatabaseConfig {
  /** External Postgres; when absent Roster runs its embedded Postgres (PGlite) in dataDir. */
  url?: string;
  dataDir: string;
}

export const databaseConfig = registerAs('database', (): DatabaseConfig => {
  const env = validateEnvironment(process.env);
  return { url: env.DATABASE_URL, dataDir: resolve(env.DATA_DIR ?? './data') };
});
