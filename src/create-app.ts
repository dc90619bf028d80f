import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { JsonLogger } from './logging/logger';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The configured application, not yet listening: used by main.ts and by the e2e tests. */
export async function createApp(logger: PinoLogger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // Honour a caller's X-Request-Id when it is sane, so a request can be followed across systems.
    genReqId: (req: IncomingMessage) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
    trustProxy: true,
    // IdPs write `/Users/?filter=...` as well as `/Users?filter=...`, and `/users` (Microsoft's
    // validator) as well as `/Users`. Route parameters keep their case.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { logger: new JsonLogger(logger), bufferLogs: false });
  return configureApp(app);
}
