import { ConnectorsService } from '../../src/connectors/connectors.service';
import { PUBLIC_URL, startTestApp, TestApp } from '../support/test-app';

describe('Connector registry (admin API)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (body: object) => t.http.post('/api/v1/connectors').set(t.admin).send(body);

  it('creates a connector on the default directory and shows its SCIM base URL and token once', async () => {
    const directories = await t.http.get('/api/v1/directories').set(t.admin).expect(200);
    const defaultDirectory = directories.body.find((d: { isDefault: boolean }) => d.isDefault);

    const res = await create({ name: 'Okta production', idp: 'okta' }).expect(201);
    expect(res.body).toMatchObject({
      name: 'Okta production',
      idp: 'okta',
      protocol: 'scim2',
      enabled: true,
      directoryId: defaultDirectory.id,
      scimBaseUrl: `${PUBLIC_URL}/scim/v2/${res.body.id}`,
    });
    expect(res.body.token).toMatch(/^rst_[A-Za-z0-9_-]{43}$/);
    expect(res.body.tokenHint).toBe(res.body.token.slice(0, 8));

    const got = await t.http.get(`/api/v1/connectors/${res.body.id}`).set(t.admin).expect(200);
    expect(got.body.token).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain(res.body.token);
    const listed = await t.http.get('/api/v1/connectors').set(t.admin).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(res.body.token);
    expect(listed.body.map((c: { id: string }) => c.id)).toContain(res.body.id);
  });

  it('stores only a hash of the token', async () => {
    const res = await create({ name: 'Hash check', idp: 'generic' }).expect(201);
    const rows = await t.app.get(ConnectorsService)['connectors']['dataSource'].query('SELECT * FROM connectors WHERE id = $1', [res.body.id]);
    expect(JSON.stringify(rows)).not.toContain(res.body.token);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives scim1 connectors a v1 base URL and LDAP connectors none', async () => {
    const scim1 = await create({ name: 'Legacy', idp: 'generic', protocol: 'scim1' }).expect(201);
    expect(scim1.body.scimBaseUrl).toBe(`${PUBLIC_URL}/scim/v1/${scim1.body.id}`);
    const ldap = await create({ name: 'Corp AD', idp: 'generic', protocol: 'ldap' }).expect(201);
    expect(ldap.body.scimBaseUrl).toBeNull();
  });

  it('names every invalid field', async () => {
    const res = await create({ name: '', idp: 'oktaa', protocol: 'scim3', directoryId: 'nope', colour: 'red' }).expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'directoryId', 'idp', 'name', 'protocol']);
    expect(res.body).not.toHaveProperty('stack');
  });

  it('refuses an unknown target directory with 400 naming directoryId', async () => {
    const res = await create({ name: 'Lost', idp: 'okta', directoryId: '00000000-0000-4000-8000-000000000000' }).expect(400);
    expect(res.body.fields).toEqual([{ field: 'directoryId', problems: ['directory does not exist'] }]);
  });

  it('refuses a second connector with the same name, case-insensitively', async () => {
    await create({ name: 'Entra', idp: 'entra' }).expect(201);
    const res = await create({ name: 'ENTRA', idp: 'entra' }).expect(409);
    expect(res.body.message).toContain('already exists');
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    await t.http.get('/api/v1/connectors/00000000-0000-4000-8000-000000000000').set(t.admin).expect(404);
    await t.http.patch('/api/v1/connectors/00000000-0000-4000-8000-000000000000').set(t.admin).send({ name: 'x' }).expect(404);
    await t.http.delete('/api/v1/connectors/00000000-0000-4000-8000-000000000000').set(t.admin).expect(404);
    await t.http.get('/api/v1/connectors/not-a-uuid').set(t.admin).expect(400);
  });

  it('requires the admin token', async () => {
    const none = await t.http.get('/api/v1/connectors').expect(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    await t.http.get('/api/v1/connectors').set('authorization', 'Bearer wrong-token-wrong-token').expect(401);
    const connector = await create({ name: 'Not admin', idp: 'okta' }).expect(201);
    // A connector's token is no admin credential.
    await t.http.get('/api/v1/connectors').set('authorization', `Bearer ${connector.body.token}`).expect(401);
  });

  it('updates, disables and enables a connector', async () => {
    const { body } = await create({ name: 'OneLogin', idp: 'onelogin' }).expect(201);
    const updated = await t.http.patch(`/api/v1/connectors/${body.id}`).set(t.admin).send({ name: 'OneLogin EU' }).expect(200);
    expect(updated.body.name).toBe('OneLogin EU');
    expect((await t.http.post(`/api/v1/connectors/${body.id}/disable`).set(t.admin).expect(200)).body.enabled).toBe(false);
    expect((await t.http.get(`/api/v1/connectors/${body.id}`).set(t.admin).expect(200)).body.enabled).toBe(false);
    expect((await t.http.post(`/api/v1/connectors/${body.id}/enable`).set(t.admin).expect(200)).body.enabled).toBe(true);
  });

  it('rotates the token: the old one stops working at once without overlap', async () => {
    const { body } = await create({ name: 'Rotate now', idp: 'okta' }).expect(201);
    const connectors = t.app.get(ConnectorsService);
    expect(await connectors.authenticate(body.id, body.token)).not.toBeNull();
    // Right after the right token, one differing in its last character (same length) is still refused.
    const forged = body.token.slice(0, -1) + (body.token.endsWith('A') ? 'B' : 'A');
    expect(await connectors.authenticate(body.id, forged)).toBeNull();
    expect(await connectors.authenticate(body.id, body.token)).not.toBeNull();

    const rotated = await t.http.post(`/api/v1/connectors/${body.id}/token`).set(t.admin).send({}).expect(201);
    expect(rotated.body.token).not.toBe(body.token);
    expect(rotated.body.previousTokenExpiresAt).toBeNull();
    expect(await connectors.authenticate(body.id, rotated.body.token)).not.toBeNull();
    expect(await connectors.authenticate(body.id, body.token)).toBeNull();
  });

  it('rotates the token with an overlap during which both tokens work', async () => {
    const { body } = await create({ name: 'Rotate later', idp: 'okta' }).expect(201);
    const rotated = await t.http.post(`/api/v1/connectors/${body.id}/token`).set(t.admin).send({ overlapSeconds: 3600 }).expect(201);
    expect(new Date(rotated.body.previousTokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 3500_000);
    const connectors = t.app.get(ConnectorsService);
    expect(await connectors.authenticate(body.id, body.token)).not.toBeNull();
    expect(await connectors.authenticate(body.id, rotated.body.token)).not.toBeNull();

    await t.http.post(`/api/v1/connectors/${body.id}/token`).set(t.admin).send({ overlapSeconds: -1 }).expect(400);
  });

  it('never lets one connector’s token open another connector', async () => {
    const a = await create({ name: 'Tenant A', idp: 'okta' }).expect(201);
    const b = await create({ name: 'Tenant B', idp: 'okta' }).expect(201);
    const connectors = t.app.get(ConnectorsService);
    expect(await connectors.authenticate(b.body.id, a.body.token)).toBeNull();
    expect(await connectors.authenticate(a.body.id, b.body.token)).toBeNull();
  });

  it('moves a connector to another directory until it has provisioned anything, and refuses after (409)', async () => {
    const other = (await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'Elsewhere' }).expect(201)).body.id;
    const third = (await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'Third place' }).expect(201)).body.id;
    const { id, token } = (await create({ name: 'Mover', idp: 'okta' }).expect(201)).body;
    await t.http.patch(`/api/v1/connectors/${id}`).set(t.admin).send({ directoryId: other }).expect(200);
    await t.http
      .post(`/scim/v2/${id}/Users`)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/scim+json')
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'mover@example.com' }))
      .expect(201);
    const users = (await t.http.get(`/api/v1/directories/${other}/users`).set(t.admin).expect(200)).body.users;
    expect(users.map((u: { username: string }) => u.username)).toEqual(['mover@example.com']);
    const refused = await t.http.patch(`/api/v1/connectors/${id}`).set(t.admin).send({ directoryId: third, name: 'Mover renamed' }).expect(409);
    expect(refused.body.message).toContain('1 user(s)');
    expect((await t.http.get(`/api/v1/connectors/${id}`).set(t.admin).expect(200)).body).toMatchObject({ name: 'Mover', directoryId: other });
    // Naming the directory it already targets is no move.
    await t.http.patch(`/api/v1/connectors/${id}`).set(t.admin).send({ directoryId: other, name: 'Mover renamed' }).expect(200);
  });

  it('deletes a connector, and its token stops working', async () => {
    const { body } = await create({ name: 'Short-lived', idp: 'google' }).expect(201);
    await t.http.delete(`/api/v1/connectors/${body.id}`).set(t.admin).expect(204);
    await t.http.get(`/api/v1/connectors/${body.id}`).set(t.admin).expect(404);
    expect(await t.app.get(ConnectorsService).authenticate(body.id, body.token)).toBeNull();
  });

  it('records every change in the audit trail', async () => {
    const { body } = await create({ name: 'Audited', idp: 'jumpcloud' }).expect(201);
    await t.http.post(`/api/v1/connectors/${body.id}/token`).set(t.admin).send({}).expect(201);
    await t.http.post(`/api/v1/connectors/${body.id}/disable`).set(t.admin).expect(200);
    const events = await t.http.get('/api/v1/audit-events').query({ connectorId: body.id }).set(t.admin).expect(200);
    expect(events.body.map((e: { action: string }) => e.action)).toEqual(['connector.disabled', 'connector.token_rotated', 'connector.created']);
    expect(JSON.stringify(events.body)).not.toContain(body.token);
  });

  it('never writes a token into a log line', async () => {
    const { body } = await create({ name: 'Quiet', idp: 'okta' }).expect(201);
    await t.http.get('/api/v1/connectors').set('authorization', `Bearer ${body.token}`).expect(401);
    const text = JSON.stringify(t.logs);
    expect(t.logs.length).toBeGreaterThan(0);
    expect(text).not.toContain(body.token);
    expect(text).not.toContain(t.admin.authorization.slice('Bearer '.length));
  });
});
