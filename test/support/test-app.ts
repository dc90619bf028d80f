// Boots the real AppModule (configureApp included) on a fresh database of its own, and drives it
// through HTTP with supertest. Nothing is replaced.
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/create-app';
import { createRootLogger } from '../../src/logging/logger';
import { createTestDatabase, databaseUrl, dropTestDatabase } from './database';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const PUBLIC_URL = 'https://roster.test';

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  admin: { authorization: string };
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Use this database instead of a fresh clone (it is then not dropped on close). */
  databaseUrl?: string | null;
  env?: Record<string, string | undefined>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownDatabase = options.databaseUrl === undefined ? await createTestDatabase() : undefined;
  const env: Record<string, string | undefined> = {
    DATABASE_URL: ownDatabase ? databaseUrl(ownDatabase) : (options.databaseUrl ?? undefined),
    ADMIN_TOKEN,
    PUBLIC_URL,
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const saved = setEnv(env);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  let app: NestFastifyApplication;
  try {
    app = await createApp(createRootLogger('info', sink));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } finally {
    setEnv(saved);
  }
  return {
    app,
    http: request(app.getHttpServer()),
    logs,
    admin: { authorization: `Bearer ${ADMIN_TOKEN}` },
    async close() {
      await app.close();
      if (ownDatabase) await dropTestDatabase(ownDatabase);
    },
  };
}

function setEnv(values: Record<string, string | undefined>): Record<string, string | undefined> {
  const previous: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(values)) {
    previous[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return previous;
}
