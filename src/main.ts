import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { appConfig } from './config/app.config';
import { RosterConfig } from './config/configuration';
import { ConfigurationError } from './config/environment';
import { createApp } from './create-app';
import { createRootLogger } from './logging/logger';

async function bootstrap(): Promise<void> {
  let logLevel;
  try {
    logLevel = appConfig().logLevel;
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createRootLogger(logLevel);
  const app = await createApp(logger);
  const { port, host, publicUrl } = app.get(ConfigService<RosterConfig, true>).get('app', { infer: true });
  await app.listen(port, host);
  logger.info({ port, host, publicUrl, docs: `${publicUrl}/docs` }, 'Roster is listening');
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Roster failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
