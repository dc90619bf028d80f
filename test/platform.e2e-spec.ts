import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

describe('Health, Swagger, request ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness and readiness', async () => {
    expect((await t.http.get('/health').expect(200)).body.status).toBe('ok');
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('serves Swagger UI and an OpenAPI document of the admin API', async () => {
    const ui = await t.http.get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
    const doc = await t.http.get('/docs-json').expect(200);
    expect(doc.body.components.securitySchemes.admin).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of [
      '/api/v1/connectors',
      '/api/v1/connectors/{id}/token',
      '/api/v1/directories/{id}',
      '/api/v1/audit-events',
      '/api/v1/config/export',
      '/api/v1/config/import',
      '/health/ready',
      '/metrics',
      '/scim/v1/{connectorId}/Users/{id}',
      '/scim/v1/{connectorId}/ServiceProviderConfigs',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    const create = doc.body.paths['/api/v1/connectors'].post;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '409']));
    expect(doc.body.components.schemas.ConnectorWithTokenDto.properties.token.example).toMatch(/^rst_/);
    expect(Object.keys(doc.body.paths['/api/v1/config/import'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '409']));
  });

  it('gives every response a request id and keeps a sane caller-supplied one', async () => {
    const generated = await t.http.get('/health').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await t.http.get('/health').set('x-request-id', 'idp-trace-42').expect(200);
    expect(kept.headers['x-request-id']).toBe('idp-trace-42');
    const line = t.logs.find((l) => l.reqId === 'idp-trace-42');
    expect(line).toBeDefined();
  });

  it('runs its short queries without parallel workers or JIT compilation, costed for SSD storage', async () => {
    // Each setting made a measured difference on Roster's queries (see data-source-options.ts).
    const db = t.app.get(DataSource);
    const [settings] = await db.query(
      `SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers, current_setting('random_page_cost') AS "randomPageCost"`,
    );
    expect(settings).toEqual({ jit: 'off', workers: '0', randomPageCost: '1.1' });
  });

  it('answers unknown routes with a JSON 404 and no stack', async () => {
    const res = await t.http.get('/api/v1/nothing-here').set(t.admin).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404 });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await t.http.post('/api/v1/directories').set(t.admin).set('content-type', 'application/json').send('{"name":').expect(400);
    expect(res.body.statusCode).toBe(400);
  });
});
