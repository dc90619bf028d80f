// Configuration backup and restore: export from one instance, restore into a fresh one (its IdPs'
// tokens keep working there), re-import with changes, and refusals that write nothing.
import { startTestApp, TestApp } from '../support/test-app';
import { USER_SCHEMA } from '../support/scim';

const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const mapping = {
  kind: 'scim',
  rules: [
    { target: 'username', source: { scim: 'userName' }, transform: ['lowercase'] },
    { target: 'email', source: { scim: 'emails[primary eq true].value' } },
    { target: 'custom:team', source: { constant: 'Engines' } },
  ],
};

describe('Configuration backup and restore', () => {
  let source: TestApp;
  let target: TestApp;
  let backup: Record<string, any>;
  let oktaId: string;
  let oktaToken: string;
  let hrDirectoryId: string;

  const scimPost = (t: TestApp, connectorId: string, token: string, userName: string) =>
    t.http
      .post(`/scim/v2/${connectorId}/Users`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/scim+json')
      .send(JSON.stringify({ schemas: [USER_SCHEMA], userName, emails: [{ value: userName, primary: true }] }));
  const importing = (t: TestApp, doc: object, query = '') => t.http.post(`/api/v1/config/import${query}`).set(t.admin).send(doc);
  const connectors = async (t: TestApp) => (await t.http.get('/api/v1/connectors').set(t.admin).expect(200)).body as { id: string; name: string }[];

  beforeAll(async () => {
    [source, target] = await Promise.all([startTestApp(), startTestApp()]);
    hrDirectoryId = (await source.http.post('/api/v1/directories').set(source.admin).send({ name: 'HR', description: 'People systems' }).expect(201)).body.id;
    await source.http.patch(`/api/v1/directories/${hrDirectoryId}`).set(source.admin).send({ isDefault: true }).expect(200);
    const okta = await source.http
      .post('/api/v1/connectors')
      .set(source.admin)
      .send({
        name: 'Okta',
        idp: 'okta',
        directoryId: hrDirectoryId,
        identityLinking: 'email',
        scimSchemaExtensions: [{ resourceType: 'User', schema: { id: ACME, name: 'Acme', attributes: [{ name: 'badge', type: 'string' }] } }],
      })
      .expect(201);
    ({ id: oktaId, token: oktaToken } = okta.body);
    await source.http.put(`/api/v1/connectors/${oktaId}/mapping`).set(source.admin).send(mapping).expect(200);
    await source.http.put(`/api/v1/connectors/${oktaId}/group-settings`).set(source.admin).send({ neverAssign: ['^Admins$'], defaultGroups: { newUsers: ['Everyone'] } }).expect(200);
    await source.http.post('/api/v1/connectors').set(source.admin).send({ name: 'Legacy', idp: 'generic', protocol: 'scim1', enabled: false }).expect(201);
  });
  afterAll(() => Promise.all([source?.close(), target?.close()]));

  it('exports directories and connectors with settings, mappings and token hashes, never tokens', async () => {
    const res = await source.http.get('/api/v1/config/export').set(source.admin).expect(200);
    backup = res.body;
    expect(backup).toMatchObject({ format: 'roster-configuration', version: 1, exportedAt: expect.any(String) });
    expect(backup.directories.map((d: { name: string; isDefault: boolean }) => [d.name, d.isDefault])).toEqual([
      ['Default', false],
      ['HR', true],
    ]);
    const okta = backup.connectors.find((c: { id: string }) => c.id === oktaId);
    expect(okta).toMatchObject({
      name: 'Okta',
      idp: 'okta',
      protocol: 'scim2',
      directoryId: hrDirectoryId,
      enabled: true,
      mapping,
      settings: { identityLinking: 'email', groupSync: { neverAssign: ['^Admins$'], defaultGroups: { newUsers: ['Everyone'] } }, scimSchemaExtensions: [{ resourceType: 'User' }] },
      token: { hash: expect.stringMatching(/^[0-9a-f]{64}$/), hint: oktaToken.slice(0, 8) },
    });
    expect(JSON.stringify(backup)).not.toContain(oktaToken);
    expect(backup.connectors.find((c: { name: string }) => c.name === 'Legacy')).toMatchObject({ protocol: 'scim1', enabled: false, mapping: null });
    const audit = await source.http.get('/api/v1/audit-events').set(source.admin).expect(200);
    expect(audit.body[0]).toMatchObject({ action: 'config.exported', details: { directories: 2, connectors: 2 } });
  });

  it('dry-runs a restore into a fresh instance: the report, and nothing written', async () => {
    const res = await importing(target, backup, '?dryRun=true').expect(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.directories.find((d: { name: string }) => d.name === 'HR')).toMatchObject({ id: hrDirectoryId, action: 'created' });
    expect(res.body.connectors.map((c: { action: string }) => c.action)).toEqual(['created', 'created']);
    expect(await connectors(target)).toEqual([]);
    expect((await target.http.get('/api/v1/directories').set(target.admin).expect(200)).body).toHaveLength(1);
  });

  it('restores into a fresh instance: same ids and settings, and the IdP’s token works there', async () => {
    const res = await importing(target, backup).expect(200);
    expect(res.body).toMatchObject({ dryRun: false, jobs: [] });
    expect((await connectors(target)).map((c) => c.name)).toEqual(['Okta', 'Legacy']);
    const directories = (await target.http.get('/api/v1/directories').set(target.admin).expect(200)).body as { id: string; name: string; isDefault: boolean }[];
    expect(directories.map((d) => [d.name, d.isDefault])).toEqual([
      ['Default', false],
      ['HR', true],
    ]);
    expect(directories.find((d) => d.name === 'HR')!.id).toBe(hrDirectoryId);
    expect((await target.http.get(`/api/v1/connectors/${oktaId}/mapping`).set(target.admin).expect(200)).body).toMatchObject({ origin: 'custom', mapping });
    expect((await target.http.get(`/api/v1/connectors/${oktaId}/group-settings`).set(target.admin).expect(200)).body.settings).toMatchObject({ neverAssign: ['^Admins$'] });
    await scimPost(target, oktaId, oktaToken, 'Ada@Example.com').expect(201);
    const users = (await target.http.get(`/api/v1/directories/${hrDirectoryId}/users`).set(target.admin).expect(200)).body.users;
    expect(users).toMatchObject([{ username: 'ada@example.com', custom: { team: 'Engines' } }]);
  });

  it('finds nothing to do when the same backup comes in again', async () => {
    const res = await importing(target, backup).expect(200);
    expect([...res.body.directories, ...res.body.connectors].every((i: { action: string }) => i.action === 'unchanged')).toBe(true);
  });

  it('updates what changed, keeps the current token, and re-projects after a mapping change', async () => {
    const rotated = (await target.http.post(`/api/v1/connectors/${oktaId}/token`).set(target.admin).send({}).expect(201)).body.token;
    const changed = structuredClone(backup);
    const okta = changed.connectors.find((c: { id: string }) => c.id === oktaId);
    okta.name = 'Okta production';
    okta.mapping = { ...mapping, rules: [...mapping.rules.slice(0, 2), { target: 'custom:team', source: { constant: 'Wheels' } }] };
    okta.settings.groupSync.neverAssign = ['^Admins$', '^Root$'];
    const res = await importing(target, changed).expect(200);
    expect(res.body.connectors.find((c: { id: string }) => c.id === oktaId)).toMatchObject({ action: 'updated', changed: ['name', 'settings.groupSync', 'mapping'] });
    const [job, groups] = res.body.jobs;
    expect(job).toMatchObject({ connectorId: oktaId, kind: 'reprojection' });
    expect(groups).toMatchObject({ connectorId: oktaId, kind: 'groups' });
    expect((await target.http.get(`/api/v1/connectors/${oktaId}/group-settings`).set(target.admin).expect(200)).body.settings.neverAssign).toEqual(['^Admins$', '^Root$']);
    let state = job.job;
    for (let i = 0; i < 200 && state.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      state = (await target.http.get(`/api/v1/connectors/${oktaId}/mapping/jobs/${job.job.id}`).set(target.admin).expect(200)).body;
    }
    expect(state).toMatchObject({ status: 'done', error: null });
    const users = (await target.http.get(`/api/v1/directories/${hrDirectoryId}/users`).set(target.admin).expect(200)).body.users;
    expect(users[0].custom.team).toBe('Wheels');
    // The token rotated after the backup stays the one that works.
    await scimPost(target, oktaId, rotated, 'bob@example.com').expect(201);
    await scimPost(target, oktaId, oktaToken, 'cyd@example.com').expect(401);
    const events = (await target.http.get('/api/v1/audit-events').query({ connectorId: oktaId }).set(target.admin).expect(200)).body;
    expect(events.find((e: { action: string }) => e.action === 'connector.imported')).toMatchObject({ details: { action: 'updated', changed: ['name', 'settings.groupSync', 'mapping'] } });
  });

  it('applies a connector switched off by the import at once', async () => {
    const doc = structuredClone(backup);
    doc.connectors.find((c: { id: string }) => c.id === oktaId).enabled = false;
    const token = (await target.http.post(`/api/v1/connectors/${oktaId}/token`).set(target.admin).send({}).expect(201)).body.token;
    await scimPost(target, oktaId, token, 'dee@example.com').expect(201);
    await importing(target, doc).expect(200);
    await scimPost(target, oktaId, token, 'eve@example.com').expect(403);
    await importing(target, backup).expect(200);
    await scimPost(target, oktaId, token, 'eve@example.com').expect(201);
  });

  it('lands a backup’s directory on the directory of the same name here, and points its connectors there', async () => {
    const sales = (await target.http.post('/api/v1/directories').set(target.admin).send({ name: 'Sales' }).expect(201)).body.id;
    const doc = structuredClone(backup);
    const elsewhere = '0f0e0d0c-0000-4000-8000-0000000000aa';
    doc.directories.push({ id: elsewhere, name: 'Sales', description: null, isDefault: false });
    doc.connectors.push({ ...doc.connectors[1], id: '0f0e0d0c-0000-4000-8000-0000000000bb', name: 'Sales IdP', directoryId: elsewhere });
    const res = await importing(target, doc).expect(200);
    expect(res.body.directories.find((d: { name: string }) => d.name === 'Sales')).toEqual({ id: sales, name: 'Sales', action: 'unchanged', changed: [] });
    expect((await target.http.get('/api/v1/connectors/0f0e0d0c-0000-4000-8000-0000000000bb').set(target.admin).expect(200)).body.directoryId).toBe(sales);
    await target.http.get(`/api/v1/directories/${elsewhere}`).set(target.admin).expect(404);
  });

  it('refuses to move a connector that has provisioned users to another directory (409), writing nothing', async () => {
    const doc = structuredClone(backup);
    const okta = doc.connectors.find((c: { id: string }) => c.id === oktaId);
    okta.directoryId = doc.directories.find((d: { name: string }) => d.name === 'Default').id;
    okta.name = 'Okta moved';
    const res = await importing(target, doc).expect(409);
    expect(res.body.message).toContain('cannot target another');
    expect((await target.http.get(`/api/v1/connectors/${oktaId}`).set(target.admin).expect(200)).body).toMatchObject({ directoryId: hrDirectoryId, name: 'Okta' });
  });

  it('refuses a document with problems, naming every one, and writes nothing', async () => {
    const before = await connectors(target);
    const broken = structuredClone(backup);
    broken.version = 2;
    broken.connectors[0].idp = 'okra';
    broken.connectors[0].mapping = { kind: 'scim', rules: [{ target: 'nowhere', source: { scim: 'userName' } }] };
    broken.connectors[1].name = 'okta';
    broken.connectors.push({ ...broken.connectors[1], id: 'not-a-uuid', name: 'Third', token: { hash: 'xyz', hint: 'rst_', createdAt: 'yesterday' } });
    const res = await importing(target, broken).expect(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['version', 'connectors[0].idp', 'connectors[0].mapping.rules[0].target', 'connectors[1]', 'connectors[2].id', 'connectors[2].token.hash', 'connectors[2].token.createdAt']),
    );
    expect(await connectors(target)).toEqual(before);
    await importing(target, [1, 2]).expect(400);
  });

  it('rolls the whole import back when one connector cannot be applied', async () => {
    const before = await connectors(target);
    const doc = structuredClone(backup);
    doc.directories.push({ id: '0f0e0d0c-0000-4000-8000-000000000001', name: 'Brand new', description: null, isDefault: false });
    doc.connectors[0].protocol = 'scim1';
    const res = await importing(target, doc).expect(400);
    expect(res.body.fields).toEqual([{ field: 'connectors[0].protocol', problems: [expect.stringContaining('scim2 here')] }]);
    const dirs = (await target.http.get('/api/v1/directories').set(target.admin).expect(200)).body as { name: string }[];
    expect(dirs.map((d) => d.name)).not.toContain('Brand new');
    expect(await connectors(target)).toEqual(before);
  });

  it('refuses a name that belongs to another connector here (409), writing nothing', async () => {
    await target.http.post('/api/v1/connectors').set(target.admin).send({ name: 'Entra', idp: 'entra' }).expect(201);
    const doc = structuredClone(backup);
    doc.connectors[1].name = 'Entra';
    const res = await importing(target, doc).expect(409);
    expect(res.body.message).toContain('connector');
    expect((await connectors(target)).find((c) => c.id === doc.connectors[1].id)!.name).toBe('Legacy');
  });
});
