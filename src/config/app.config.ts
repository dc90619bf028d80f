import { registerAs } from '@nestjs/config';
import { LogLevel, validateEnvironment } from './environment';

export interface AppConfig {
  port: number;
  host: string;
  /** Base of every absolute URL Roster hands out (SCIM base URLs, meta.location), without a trailing slash. */
  publicUrl: string;
  /** Set by the operator; when absent, a generated token's hash is kept in the database. */
  adminToken?: string;
  logLevel: LogLevel;
  /** When set, GET /metrics needs `Authorization: Bearer <it>`. */
  metricsToken?: string;
}

export const appConfig = registerAs('app', (): AppConfig => {
  const env = validateEnvironment(process.env);
  const port = env.PORT ?? 3000;
  const host = env.HOST ?? '0.0.0.0';
  const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    port,
    host,
    publicUrl: (env.PUBLIC_URL ?? `http://${publicHost}:${port}`).replace(/\/+$/, ''),
    adminToken: env.ADMIN_TOKEN,
    logLevel: env.LOG_LEVEL ?? 'info',
    metricsToken: env.METRICS_TOKEN,
  };
});
