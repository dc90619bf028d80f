// Okta's documented SCIM 2.0 provisioning flow, request by request: existence check, create with
// password and groups:[], full PUT updates, deactivation by PATCH and by PUT, group push.
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, GROUP_SCHEMA, LIST_SCHEMA, ScimClient, USER_SCHEMA } from '../support/scim';

const oktaUser = (userName: string, overrides: object = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  password: '1mz050nq',
  active: true,
  ...overrides,
});

describe('Okta provisioning flow', () => {
  let t: TestApp;
  let okta: ScimClient;
  beforeAll(async () => {
    t = await startTestApp();
    okta = await createScimConnector(t, 'okta');
  });
  afterAll(() => t.close());

  let userId: string;

  it('checks existence with a filter that matches nothing yet', async () => {
    const res = await okta.get('/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual({ schemas: [LIST_SCHEMA], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('creates the user (password accepted, never returned)', async () => {
    const res = await okta.post('/Users', oktaUser('test.user@okta.local')).expect(201);
    userId = res.body.id;
    expect(res.body).toMatchObject({
      schemas: expect.arrayContaining([USER_SCHEMA]),
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      active: true,
      externalId: '00ujl29u0le5T6Aj10h7',
      meta: { resourceType: 'User', location: `${okta.baseUrl}/Users/${userId}` },
    });
    expect(res.body).not.toHaveProperty('password');
    expect(res.headers.location).toBe(`${okta.baseUrl}/Users/${userId}`);
    expect(res.headers.etag).toBe(res.body.meta.version);
  });

  it('finds the user case-insensitively by userName', async () => {
    const res = await okta.get('/Users?filter=userName%20eq%20%22TEST.USER%40OKTA.LOCAL%22&startIndex=1&count=100').expect(200);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0].id).toBe(userId);
  });

  it('refuses a second user with the same userName (409 uniqueness)', async () => {
    const res = await okta.post('/Users', oktaUser('Test.User@okta.local', { externalId: 'other' })).expect(409);
    expect(res.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('answers 404 with a SCIM error for an unknown id', async () => {
    const res = await okta.get('/Users/010101010101').expect(404);
    expect(res.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
  });

  it('updates with a full PUT (attributes left out are removed)', async () => {
    const body = oktaUser('test.user@okta.local', { name: { givenName: 'Another', familyName: 'User' } });
    delete (body as { locale?: string }).locale;
    const res = await okta.put(`/Users/${userId}`, { ...body, id: userId }).expect(200);
    expect(res.body.name).toEqual({ givenName: 'Another', familyName: 'User' });
    expect(res.body).not.toHaveProperty('locale');
    const got = await okta.get(`/Users/${userId}`).expect(200);
    expect(got.body.name.givenName).toBe('Another');
    expect(got.body).not.toHaveProperty('locale');
  });

  it('deactivates with a path-less PATCH replace', async () => {
    const res = await okta.patch(`/Users/${userId}`, [{ op: 'replace', value: { active: false } }]).expect(200);
    expect(res.body.active).toBe(false);
    expect((await okta.get(`/Users/${userId}`).expect(200)).body.active).toBe(false);
  });

  it('reactivates and deactivates with PUT active flags', async () => {
    expect((await okta.put(`/Users/${userId}`, oktaUser('test.user@okta.local', { active: true })).expect(200)).body.active).toBe(true);
    expect((await okta.put(`/Users/${userId}`, oktaUser('test.user@okta.local', { active: false })).expect(200)).body.active).toBe(false);
  });

  it('leaves the directory user the Okta preset maps, disabled after the deactivation', async () => {
    const connector = (await t.http.get(`/api/v1/connectors/${okta.connectorId}`).set(t.admin).expect(200)).body;
    const page = await t.http.get(`/api/v1/directories/${connector.directoryId}/users`).query({ q: 'test.user@okta.local' }).set(t.admin).expect(200);
    expect(page.body.users).toEqual([
      expect.objectContaining({
        username: 'test.user@okta.local',
        email: 'test.user@okta.local',
        displayName: 'Test User',
        firstName: 'Test',
        lastName: 'User',
        externalId: '00ujl29u0le5T6Aj10h7',
        active: false,
        sources: [expect.objectContaining({ connectorId: okta.connectorId, sourceRef: userId })],
      }),
    ]);
  });

  describe('group push', () => {
    let groupId: string;
    let second: string;

    beforeAll(async () => {
      second = (await okta.post('/Users', oktaUser('second@okta.local', { externalId: 'ext-2' })).expect(201)).body.id;
    });

    it('creates a group with members', async () => {
      const res = await okta
        .post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Test SCIMv2', members: [{ value: userId, display: 'test.user@okta.local' }] })
        .expect(201);
      groupId = res.body.id;
      expect(res.body.displayName).toBe('Test SCIMv2');
      expect(res.body.members).toEqual([expect.objectContaining({ value: userId })]);
    });

    it('renames and changes members in one PATCH, as Okta sends them', async () => {
      await okta
        .patch(`/Groups/${groupId}`, [
          { op: 'replace', value: { id: groupId, displayName: 'Test SCIMv2 renamed' } },
          { op: 'add', path: 'members', value: [{ value: second, display: 'second@okta.local' }] },
        ])
        .expect(200);
      const got = await okta.get(`/Groups/${groupId}`).expect(200);
      expect(got.body.displayName).toBe('Test SCIMv2 renamed');
      expect(got.body.members.map((m: { value: string }) => m.value).sort()).toEqual([userId, second].sort());
    });

    it('removes a member by value filter', async () => {
      await okta
        .patch(`/Groups/${groupId}`, [{ op: 'remove', path: `members[value eq "${userId}"]` }])
        .expect(200);
      const got = await okta.get(`/Groups/${groupId}`).expect(200);
      expect(got.body.members.map((m: { value: string }) => m.value)).toEqual([second]);
    });

    it('replaces all members', async () => {
      await okta
        .patch(`/Groups/${groupId}`, [{ op: 'replace', path: 'members', value: [{ value: userId }] }])
        .expect(200);
      const got = await okta.get(`/Groups/${groupId}`).expect(200);
      expect(got.body.members.map((m: { value: string }) => m.value)).toEqual([userId]);
    });

    it('shows the user’s groups', async () => {
      const got = await okta.get(`/Users/${userId}`).expect(200);
      expect(got.body.groups).toEqual([expect.objectContaining({ value: groupId, display: 'Test SCIMv2 renamed' })]);
    });

    it('ignores a member that names nothing in this connector, applies the rest and audits it', async () => {
      const ghost = '00000000-0000-4000-8000-000000000000';
      const res = await okta
        .patch(`/Groups/${groupId}`, [
          { op: 'replace', path: 'displayName', value: 'Test SCIMv2 renamed again' },
          { op: 'add', path: 'members', value: [{ value: ghost }, { value: 'not-even-a-uuid' }] },
        ])
        .expect(200);
      expect(res.body.displayName).toBe('Test SCIMv2 renamed again');
      expect(res.body.members.map((m: { value: string }) => m.value)).not.toContain(ghost);
      const audit = await t.http.get(`/api/v1/audit-events?connectorId=${okta.connectorId}`).set(t.admin).expect(200);
      const patched = audit.body.find((e: { action: string }) => e.action === 'scim.group.patched');
      expect(patched.details.unknownMembers).toEqual(['not-even-a-uuid', ghost]);
    });

    it('deletes the group', async () => {
      await okta.delete(`/Groups/${groupId}`).expect(204);
      await okta.get(`/Groups/${groupId}`).expect(404);
      expect((await okta.get(`/Users/${userId}`).expect(200)).body.groups ?? []).toEqual([]);
    });
  });

});
