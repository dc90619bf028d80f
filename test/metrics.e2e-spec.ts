// GET /metrics: Prometheus text an operator scrapes; what it counts and what it never exposes.
import { startTestApp, TestApp } from './support/test-app';
import { createScimConnector, ScimClient, USER_SCHEMA } from './support/scim';

describe('Prometheus metrics', () => {
  let t: TestApp;
  let okta: ScimClient;
  const scrape = async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };
  /** The value of one sample, or undefined when the series is absent. */
  const sample = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  beforeAll(async () => {
    t = await startTestApp();
    okta = await createScimConnector(t, 'okta');
  });
  afterAll(() => t.close());

  it('counts SCIM requests per connector, resource and status', async () => {
    await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'ada@example.com' }).expect(201);
    await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'ada@example.com' }).expect(409);
    await okta.get('/Users?filter=userName%20eq%20%22ada%40example.com%22').expect(200);
    const text = await scrape();
    const series = (method: string, status: number) => `roster_scim_requests_total{connector="${okta.connectorId}",method="${method}",resource="Users",status="${status}"}`;
    expect(sample(text, series('POST', 201))).toBe(1);
    expect(sample(text, series('POST', 409))).toBe(1);
    expect(sample(text, series('GET', 200))).toBe(1);
  });

  it('times requests by route pattern, never by URL, and leaves unauthenticated SCIM calls out of the per-connector count', async () => {
    await t.http.get(`/api/v1/connectors/${okta.connectorId}`).set(t.admin).expect(200);
    await t.http.get(`/scim/v2/${okta.connectorId}/Users`).expect(401);
    await t.http.get('/no/such/page').expect(404);
    const text = await scrape();
    expect(sample(text, 'roster_http_request_duration_seconds_count{api="admin",method="GET",route="/api/v1/connectors/:id",status="200"}')).toBe(1);
    expect(sample(text, 'roster_http_request_duration_seconds_count{api="scim",method="GET",route="/scim/v2/:connectorId/Users",status="401"}')).toBe(1);
    expect(sample(text, `roster_scim_requests_total{connector="${okta.connectorId}",method="GET",resource="Users",status="401"}`)).toBeUndefined();
    expect(sample(text, 'roster_http_request_duration_seconds_count{api="other",method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(text).not.toContain('/no/such/page');
    expect(text).not.toContain('ada@example.com');
  });

  it('reports the connectors, the open brake holds an admin must decide, and the process', async () => {
    await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Paused', idp: 'entra', enabled: false }).expect(201);
    // minUsers 0: the brake holds the very first deprovision.
    await t.http.put(`/api/v1/connectors/${okta.connectorId}/group-settings`).set(t.admin).send({ brake: { minUsers: 0 } }).expect(200);
    const id = (await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'bob@example.com' }).expect(201)).body.id;
    expect(sample(await scrape(), `roster_brake_holds_open{connector="${okta.connectorId}"}`)).toBeUndefined();
    await okta.patch(`/Users/${id}`, [{ op: 'replace', value: { active: false } }]).expect(200);
    const text = await scrape();
    expect(sample(text, `roster_brake_holds_open{connector="${okta.connectorId}"}`)).toBe(1);
    expect(sample(text, 'roster_connectors{protocol="scim2",enabled="true"}')).toBe(1);
    expect(sample(text, 'roster_connectors{protocol="scim2",enabled="false"}')).toBe(1);
    expect(sample(text, 'roster_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(sample(text, 'roster_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'roster_jobs_running')).toBeGreaterThanOrEqual(0);
  });

  describe('with METRICS_TOKEN set', () => {
    const METRICS_TOKEN = 'scrape-me-0123456789abcdef';
    let guarded: TestApp;
    beforeAll(async () => {
      guarded = await startTestApp({ env: { METRICS_TOKEN } });
    });
    afterAll(() => guarded.close());

    it('answers only a scraper carrying the token', async () => {
      const refused = await guarded.http.get('/metrics').expect(401);
      expect(refused.headers['www-authenticate']).toContain('Bearer');
      expect(refused.text).not.toContain('roster_');
      await guarded.http.get('/metrics').set('authorization', 'Bearer not-the-metrics-token').expect(401);
      await guarded.http.get('/metrics').set('authorization', `Bearer ${guarded.admin.authorization.slice(7)}`).expect(401);
      const res = await guarded.http.get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      expect(res.text).toContain('roster_http_request_duration_seconds');
    });
  });
});
