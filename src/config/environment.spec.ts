import { appConfig } from './app.config';
import { databaseConfig } from './database.config';
import { ConfigurationError, validateEnvironment } from './environment';

describe('environment validation', () => {
  it('accepts an empty environment (every variable has a default)', () => {
    expect(() => validateEnvironment({})).not.toThrow();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ PUBLIC_URL: 'roster.example.com' }, 'PUBLIC_URL must be an absolute http(s) URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN must be at least 16 characters'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN must be at least 16 characters'],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => validateEnvironment(env)).toThrow(ConfigurationError);
    expect(() => validateEnvironment(env)).toThrow(message);
  });

  it('never echoes the admin or metrics token it refuses', () => {
    expect(() => validateEnvironment({ ADMIN_TOKEN: 'tiny-but-secret' })).toThrow(/ADMIN_TOKEN/);
    expect(() => validateEnvironment({ ADMIN_TOKEN: 'tiny-but-secret' })).not.toThrow(/tiny-but-secret/);
    expect(() => validateEnvironment({ METRICS_TOKEN: 'tiny-but-secret' })).not.toThrow(/tiny-but-secret/);
  });
});

describe('config namespaces', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('derives defaults: port 3000, public URL on localhost, ./data for the embedded database', () => {
    for (const key of ['PORT', 'HOST', 'PUBLIC_URL', 'DATABASE_URL', 'DATA_DIR', 'LOG_LEVEL']) delete process.env[key];
    expect(appConfig()).toMatchObject({ port: 3000, host: '0.0.0.0', publicUrl: 'http://localhost:3000', logLevel: 'info' });
    expect(databaseConfig()).toEqual({ url: undefined, dataDir: expect.stringMatching(/\/data$/) });
  });

  it('strips a trailing slash from PUBLIC_URL', () => {
    process.env.PUBLIC_URL = 'https://roster.example.com/';
    expect(appConfig().publicUrl).toBe('https://roster.example.com');
  });
});
