import { Logger } from '@nestjs/common';
import { DatabaseConfig } from '../config/database.config';
import { EmbeddedPostgres } from './embedded-postgres';

/** Where the database is: the operator's server, or the embedded one this process started. */
export class DatabaseEndpoint {
  constructor(
    readonly url: string,
    readonly embedded: EmbeddedPostgres | null,
  ) {}

  static async resolve(config: DatabaseConfig, logger: Logger): Promise<DatabaseEndpoint> {
    if (config.url) {
      logger.log({ msg: 'Using the Postgres server from DATABASE_URL', host: safeHost(config.url) });
      return new DatabaseEndpoint(config.url, null);
    }
    const embedded = await EmbeddedPostgres.start(config.dataDir);
    logger.log({
      msg: 'DATABASE_URL is not set: running the embedded Postgres (PGlite); set DATABASE_URL for production',
      dataDir: embedded.dataDir,
    });
    return new DatabaseEndpoint(embedded.url, embedded);
  }
}

/** host:port/db of a URL, never its credentials. */
export function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'unparseable URL';
  }
}
