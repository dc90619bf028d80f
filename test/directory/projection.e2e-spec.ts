// Every SCIM user write lands in the connector's target directory in the same statement: mapped by
// the connector's mapping, linked to the record, with the rule behind each field.
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, ENTERPRISE_SCHEMA, ScimClient, USER_SCHEMA } from '../support/scim';

const oktaUser = (userName: string, extra: object = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  displayName: 'Ada Lovelace',
  password: 'secret-1234',
  active: true,
  ...extra,
});

describe('Directory projection of SCIM users', () => {
  let t: TestApp;
  let directoryId: string;
  let okta: ScimClient;
  beforeAll(async () => {
    t = await startTestApp();
    okta = await createScimConnector(t, 'okta', 'Okta');
    directoryId = (await t.http.get(`/api/v1/connectors/${okta.connectorId}`).set(t.admin).expect(200)).body.directoryId;
  });
  afterAll(() => t.close());

  const directoryUser = async (username: string) => {
    const page = await t.http.get(`/api/v1/directories/${directoryId}/users`).query({ q: username }).set(t.admin).expect(200);
    return page.body.users.find((u: { username: string }) => u.username.toLowerCase() === username.toLowerCase());
  };

  it('creates the directory user from an Okta create, with the connector and rule behind each field', async () => {
    const created = await okta.post('/Users', oktaUser('ada@example.com', { title: 'Analyst' })).expect(201);
    const user = await directoryUser('ada@example.com');
    expect(user).toMatchObject({
      username: 'ada@example.com',
      email: 'ada@example.com',
      displayName: 'Ada Lovelace',
      firstName: 'Ada',
      lastName: 'Lovelace',
      title: 'Analyst',
      active: true,
      sources: [{ connectorId: okta.connectorId, connectorName: 'Okta', sourceRef: created.body.id }],
    });
    expect(typeof user.sources[0].provenance.username).toBe('number');
    expect((await t.http.get(`/api/v1/directories/${directoryId}/users/${user.id}`).set(t.admin).expect(200)).body.id).toBe(user.id);
  });

  it('follows PATCH deactivation, PUT updates and a userName change', async () => {
    const id = (await okta.get('/Users?filter=userName eq "ada@example.com"').expect(200)).body.Resources[0].id;
    await okta.patch(`/Users/${id}`, [{ op: 'replace', value: { active: false } }]).expect(200);
    expect((await directoryUser('ada@example.com')).active).toBe(false);
    await okta.put(`/Users/${id}`, oktaUser('ada@example.com', { title: 'Engineer' })).expect(200);
    expect(await directoryUser('ada@example.com')).toMatchObject({ active: true, title: 'Engineer' });
    await okta.patch(`/Users/${id}`, [{ op: 'replace', path: 'userName', value: 'countess@example.com' }]).expect(200);
    expect(await directoryUser('ada@example.com')).toBeUndefined();
    expect((await directoryUser('countess@example.com')).sources[0].sourceRef).toBe(id);
  });

  it('applies a custom mapping: custom attributes and a drop rule', async () => {
    const entra = await createScimConnector(t, 'entra', 'Entra');
    await t.http
      .put(`/api/v1/connectors/${entra.connectorId}/mapping`)
      .set(t.admin)
      .send({
        kind: 'scim',
        rules: [
          { target: 'username', source: { scim: 'userName' }, transform: ['lowercase'] },
          { target: 'department', source: { scim: `${ENTERPRISE_SCHEMA}:department` } },
          { target: 'custom:costCenter', source: { scim: `${ENTERPRISE_SCHEMA}:costCenter` }, onEmpty: 'keep' },
          { target: 'active', source: { scim: 'active' } },
          { drop: { when: { source: { scim: 'userType' }, equals: 'Contractor' } } },
        ],
      })
      .expect(200);
    const created = await entra
      .post('/Users', { schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA], userName: 'Grace@Example.com', [ENTERPRISE_SCHEMA]: { department: 'Navy', costCenter: '4130' } })
      .expect(201);
    expect(await directoryUser('grace@example.com')).toMatchObject({ username: 'grace@example.com', department: 'Navy', custom: { costCenter: '4130' }, active: true });
    // `keep`: a costCenter the IdP stops sending stays as it was.
    await entra.patch(`/Users/${created.body.id}`, [{ op: 'Remove', path: `${ENTERPRISE_SCHEMA}:costCenter` }]).expect(204);
    expect((await directoryUser('grace@example.com')).custom).toEqual({ costCenter: '4130' });
    // Dropped by a rule: the directory user is disabled, not deleted.
    await entra.patch(`/Users/${created.body.id}`, [{ op: 'Add', path: 'userType', value: 'Contractor' }]).expect(204);
    expect((await directoryUser('grace@example.com')).active).toBe(false);
    // A record dropped from the start never reaches the directory.
    await entra.post('/Users', { schemas: [USER_SCHEMA], userName: 'temp@example.com', userType: 'Contractor' }).expect(201);
    expect(await directoryUser('temp@example.com')).toBeUndefined();
  });

  it('links a second connector’s user by username, and refuses the clash where linking is off', async () => {
    const second = await createScimConnector(t, 'generic', 'Second');
    await okta.post('/Users', oktaUser('shared@example.com')).expect(201);
    const linked = await second.post('/Users', { schemas: [USER_SCHEMA], userName: 'SHARED@example.com', title: 'From second' }).expect(201);
    const user = await directoryUser('shared@example.com');
    expect(user.sources.map((s: { connectorName: string }) => s.connectorName)).toEqual(['Okta', 'Second']);

    const strict = await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Strict', idp: 'generic', identityLinking: 'never' }).expect(201);
    expect(strict.body.identityLinking).toBe('never');
    const client = new ScimClient(t.http, strict.body.id, strict.body.token, strict.body.scimBaseUrl);
    const refused = await client.post('/Users', { schemas: [USER_SCHEMA], userName: 'shared@example.com' }).expect(409);
    expect(refused.body.scimType).toBe('uniqueness');
    expect((await client.get('/Users').expect(200)).body.totalResults).toBe(0);

    // Deleting one source keeps the user active while another still feeds it; the last one disables it.
    await second.delete(`/Users/${linked.body.id}`).expect(204);
    expect(await directoryUser('shared@example.com')).toMatchObject({ active: true, sources: [expect.objectContaining({ connectorName: 'Okta' })] });
    const oktaId = (await okta.get('/Users?filter=userName eq "shared@example.com"').expect(200)).body.Resources[0].id;
    await okta.delete(`/Users/${oktaId}`).expect(204);
    expect(await directoryUser('shared@example.com')).toMatchObject({ active: false, sources: [] });
  });

  it('forgets a deleted connector’s links and keeps the users other connectors feed', async () => {
    const leaving = await createScimConnector(t, 'generic', 'Leaving');
    await okta.post('/Users', oktaUser('kept@example.com')).expect(201);
    await leaving.post('/Users', { schemas: [USER_SCHEMA], userName: 'kept@example.com' }).expect(201);
    await leaving.post('/Users', { schemas: [USER_SCHEMA], userName: 'only-leaving@example.com' }).expect(201);
    expect((await directoryUser('kept@example.com')).sources.map((s: { connectorName: string }) => s.connectorName).sort()).toEqual(['Leaving', 'Okta']);

    await t.http.delete(`/api/v1/connectors/${leaving.connectorId}`).set(t.admin).expect(204);
    expect((await directoryUser('kept@example.com')).sources.map((s: { connectorName: string }) => s.connectorName)).toEqual(['Okta']);
    expect((await directoryUser('only-leaving@example.com')).sources).toEqual([]);
    // Okta is now the user's only source: its DELETE deprovisions the user (a link left behind by the
    // deleted connector would count as another source still feeding it).
    const oktaId = (await okta.get('/Users?filter=userName eq "kept@example.com"').expect(200)).body.Resources[0].id;
    await okta.delete(`/Users/${oktaId}`).expect(204);
    expect(await directoryUser('kept@example.com')).toMatchObject({ active: false, sources: [] });
  });

  it('links by email or externalId when the admin chose it, and never to one of several users sharing the value', async () => {
    const connector = async (name: string, identityLinking: string) => {
      const res = await t.http.post('/api/v1/connectors').set(t.admin).send({ name, idp: 'generic', identityLinking }).expect(201);
      return new ScimClient(t.http, res.body.id, res.body.token, res.body.scimBaseUrl);
    };
    await okta.post('/Users', oktaUser('linda@example.com', { externalId: 'emp-42' })).expect(201);
    const byEmail = await connector('By email', 'email');
    // Each connector's mapping applies in full to the user it feeds (a field it maps to nothing is
    // cleared), so these records carry both values.
    await byEmail.post('/Users', { schemas: [USER_SCHEMA], userName: 'linda@example.com', externalId: 'emp-42', emails: [{ type: 'work', value: 'LINDA@example.com' }] }).expect(201);
    const byExternalId = await connector('By externalId', 'externalId');
    await byExternalId.post('/Users', { schemas: [USER_SCHEMA], userName: 'linda@example.com', externalId: 'emp-42', emails: [{ type: 'work', value: 'linda@example.com' }] }).expect(201);
    const linda = await directoryUser('linda@example.com');
    expect(linda.sources.map((s: { connectorName: string }) => s.connectorName).sort()).toEqual(['By email', 'By externalId', 'Okta']);

    // Two directory users share an email: an email-linking connector links to neither.
    await okta.post('/Users', oktaUser('twin1@example.com', { emails: [{ type: 'work', value: 'twins@example.com' }] })).expect(201);
    await okta.post('/Users', oktaUser('twin2@example.com', { emails: [{ type: 'work', value: 'twins@example.com' }] })).expect(201);
    await byEmail.post('/Users', { schemas: [USER_SCHEMA], userName: 'twin3@example.com', emails: [{ type: 'work', value: 'twins@example.com' }] }).expect(201);
    expect((await directoryUser('twin3@example.com')).sources.map((s: { connectorName: string }) => s.connectorName)).toEqual(['By email']);
    expect((await directoryUser('twin1@example.com')).sources).toHaveLength(1);
  });

  it('pages and filters the directory’s users', async () => {
    const page = await t.http.get(`/api/v1/directories/${directoryId}/users`).query({ active: 'false', limit: 1 }).set(t.admin).expect(200);
    expect(page.body.total).toBeGreaterThanOrEqual(2);
    expect(page.body.users).toHaveLength(1);
    await t.http.get(`/api/v1/directories/${directoryId}/users`).query({ limit: 500 }).set(t.admin).expect(400);
    await t.http.get(`/api/v1/directories/${directoryId}/users/not-a-user`).set(t.admin).expect(404);
  });
});
