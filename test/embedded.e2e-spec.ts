// The newcomer's path: no DATABASE_URL, so Roster runs its embedded Postgres in DATA_DIR.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GROUP_SCHEMA, ScimClient, USER_SCHEMA } from './support/scim';
import { startTestApp, TestApp } from './support/test-app';

describe('Embedded default database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'roster-embedded-'));
  const start = () => startTestApp({ databaseUrl: null, env: { DATA_DIR: dataDir } });
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with nothing installed, serves health, and keeps connectors across a restart', async () => {
    t = await start();
    expect(readdirSync(dataDir).length).toBeGreaterThan(0);
    expect(t.logs.some((l) => String(l.msg).includes('embedded Postgres'))).toBe(true);
    await t.http.get('/health').expect(200);
    expect((await t.http.get('/health/ready').expect(200)).body.details.database.status).toBe('up');

    const created = await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Okta', idp: 'okta' }).expect(201);
    expect(created.body.scimBaseUrl).toContain(`/scim/v2/${created.body.id}`);
    const scim = () => new ScimClient(t!.http, created.body.id, created.body.token, created.body.scimBaseUrl);
    const user = await scim().post('/Users', { schemas: [USER_SCHEMA], userName: 'embedded@example.com' }).expect(201);
    await scim().post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Embedded', members: [{ value: user.body.id }] }).expect(201);
    await t.close();
    t = undefined;

    t = await start();
    const listed = await t.http.get('/api/v1/connectors').set(t.admin).expect(200);
    expect(listed.body.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    const directories = await t.http.get('/api/v1/directories').set(t.admin).expect(200);
    expect(directories.body).toHaveLength(1);
    // The SCIM view survived too, and answers the lookups IdPs make.
    for (let i = 0; i < 3; i++) {
      const found = await scim().get('/Users?filter=userName eq "EMBEDDED@example.com"').expect(200);
      expect(found.body.Resources[0]).toMatchObject({ userName: 'embedded@example.com', groups: [expect.objectContaining({ display: 'Embedded' })] });
    }
  });

  it('serves metrics and backs its configuration up and restores it, as on a Postgres server', async () => {
    t ??= await start();
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain('roster_connectors{protocol="scim2",enabled="true"} 1');
    const backup = (await t.http.get('/api/v1/config/export').set(t.admin).expect(200)).body;
    expect(backup.connectors).toHaveLength(1);
    backup.connectors[0].name = 'Okta (restored)';
    const res = await t.http.post('/api/v1/config/import').set(t.admin).send(backup).expect(200);
    expect(res.body.connectors).toEqual([expect.objectContaining({ action: 'updated', changed: ['name'] })]);
    expect((await t.http.get('/api/v1/connectors').set(t.admin).expect(200)).body[0].name).toBe('Okta (restored)');
  });
});
