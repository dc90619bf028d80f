import { AppConfig } from './app.config';
import { DatabaseConfig } from './database.config';

/** Typed view of every config namespace, for `ConfigService<RosterConfig, true>`. */
export interface RosterConfig {
  app: AppConfig;
  database: DatabaseConfig;
}
