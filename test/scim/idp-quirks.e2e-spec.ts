// What Microsoft's validator and Okta's suites send that a strict RFC 7644 server would refuse
// (docs/scim-compatibility.md): each case here is a request an IdP really makes.
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, ENTERPRISE_SCHEMA, GROUP_SCHEMA, ScimClient, USER_SCHEMA } from '../support/scim';

describe('IdP quirks', () => {
  let t: TestApp;
  let entra: ScimClient;
  let okta: ScimClient;
  beforeAll(async () => {
    t = await startTestApp();
    entra = await createScimConnector(t, 'entra');
    okta = await createScimConnector(t, 'okta');
  });
  afterAll(() => t.close());

  it('routes /users and /Users/ like /Users', async () => {
    await entra.post('/Users', { schemas: [USER_SCHEMA], userName: 'BobIsAmazing', displayName: 'BobIsAmazing' }).expect(201);
    expect((await t.http.get(entra.path('/users')).set('authorization', `Bearer ${entra.token}`).expect(200)).body.totalResults).toBe(1);
    const res = await t.http.get(`${entra.path('/Users/')}?filter=DisplayName+eq+%22BobIsAmazing%22`).set('authorization', `Bearer ${entra.token}`).expect(200);
    expect(res.body.totalResults).toBe(1);
  });

  it('reads unquoted filter values, dates with seven fractional digits and a UTC offset', async () => {
    for (const [userName, family, email] of [
      ['emp1', 'Employee', 'a@example.com'],
      ['emp2', 'Employee', 'b@example.org'],
      ['emp3', 'Other', 'c@example.com'],
    ]) {
      await entra.post('/Users', { schemas: [USER_SCHEMA], userName, name: { familyName: family }, emails: [{ type: 'work', value: email }] }).expect(201);
    }
    const both = await entra.get(`/Users?filter=${encodeURIComponent('name.FamilyName eq Employee and (emails.Value co example.com or emails.Value co example.org)')}`).expect(200);
    expect(both.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['emp1', 'emp2']);
    expect((await entra.get(`/Users?filter=${encodeURIComponent('userName sw e')}`).expect(200)).body.totalResults).toBe(3);
    const since = await entra.get(`/Users?filter=${encodeURIComponent('meta.Created gt 2015-10-10T14:38:21.8617979-07:00')}`).expect(200);
    expect(since.body.totalResults).toBe(4);
  });

  it('reads attributes=emails[type eq "work"] as attributes=emails', async () => {
    const res = await entra.get(`/Users?attributes=${encodeURIComponent('emails[type eq "work"]')}&filter=${encodeURIComponent('userName eq "emp3"')}`).expect(200);
    expect(res.body.Resources[0]).toEqual({ schemas: [USER_SCHEMA], id: expect.any(String), emails: [{ type: 'work', value: 'c@example.com' }] });
  });

  it('takes "True" as a boolean, capitalised attribute names, and the enterprise URN listed first', async () => {
    const res = await entra
      .post('/Users', {
        schemas: [ENTERPRISE_SCHEMA, USER_SCHEMA],
        UserName: 'True.User',
        active: 'True',
        emails: [{ Primary: 'True', type: 'work', value: 'x@example.com' }],
        [ENTERPRISE_SCHEMA]: { Department: 'bob', Manager: { Value: 'SuzzyQ' } },
      })
      .expect(201);
    expect(res.body).toMatchObject({ userName: 'True.User', active: true, emails: [{ primary: true }], [ENTERPRISE_SCHEMA]: { department: 'bob', manager: { value: 'SuzzyQ' } } });
  });

  it('ignores unknown attributes and does not echo them', async () => {
    const res = await entra.post('/Users', { schemas: [USER_SCHEMA], userName: 'typo.user', adreses: [{ country: 'DE' }] }).expect(201);
    expect(JSON.stringify(res.body)).not.toMatch(/adreses/i);
  });

  it('answers an Entra connector’s PATCH with 204 and an Okta connector’s with 200 and the resource', async () => {
    const e = await entra.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Entra group' }).expect(201);
    const res = await entra.patch(`/Groups/${e.body.id}`, [{ op: 'Replace', path: 'displayName', value: 'Entra group 2' }]).expect(204);
    expect(res.text).toBe('');
    expect((await entra.get(`/Groups/${e.body.id}`).expect(200)).body.displayName).toBe('Entra group 2');
    // Asking for attributes is asking for the resource (RFC 7644 3.5.2).
    await entra.patch(`/Groups/${e.body.id}?attributes=displayName`, [{ op: 'Replace', path: 'displayName', value: 'Entra group 3' }]).expect(200);

    const o = await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Okta group', members: [] }).expect(201);
    expect(o.body.members).toEqual([]);
    const patched = await okta.patch(`/Groups/${o.body.id}`, [{ op: 'replace', value: { id: o.body.id, displayName: 'Okta group 2' } }]).expect(200);
    expect(patched.body).toMatchObject({ displayName: 'Okta group 2', members: [] });
  });

  it('accepts a bare string as a group member, and a member "displayName" as its display', async () => {
    const user = await entra.post('/Users', { schemas: [USER_SCHEMA], userName: 'member.user' }).expect(201);
    const group = await entra.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Group 1' }).expect(201);
    await entra.patch(`/Groups/${group.body.id}`, [{ op: 'add', path: 'members', value: 'string id 1' }]).expect(204);
    await entra.patch(`/Groups/${group.body.id}`, [{ op: 'add', path: 'members', value: [{ displayName: 'new User', value: user.body.id }] }]).expect(204);
    const got = await entra.get(`/Groups/${group.body.id}`).expect(200);
    expect(got.body.members).toEqual([{ value: user.body.id, display: 'new User', type: 'User', $ref: `${entra.baseUrl}/Users/${user.body.id}` }]);
    await entra.patch(`/Groups/${group.body.id}`, [{ op: 'remove', path: 'members' }]).expect(204);
    expect((await entra.get(`/Groups/${group.body.id}`).expect(200)).body.members).toEqual([]);
    expect((await entra.get(`/Groups/${group.body.id}?excludedAttributes=members`).expect(200)).body.members).toBeUndefined();
  });

  it('treats a Content-Type without a body as no body', async () => {
    const user = await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'empty.body@example.com' }).expect(201);
    await t.http.get(okta.path(`/Users/${user.body.id}`)).set('authorization', `Bearer ${okta.token}`).set('content-type', 'application/scim+json; charset=utf-8').expect(200);
    await t.http.delete(okta.path(`/Users/${user.body.id}`)).set('authorization', `Bearer ${okta.token}`).set('content-type', 'application/scim+json').expect(204);
  });

  it('frees a deleted user’s userName at once and drops its memberships', async () => {
    const user = await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'reused@example.com' }).expect(201);
    const group = await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Has member', members: [{ value: user.body.id }] }).expect(201);
    await okta.delete(`/Users/${user.body.id}`).expect(204);
    expect((await okta.get(`/Groups/${group.body.id}`).expect(200)).body.members).toEqual([]);
    await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'reused@example.com' }).expect(201);
  });

  it('refuses a second group with the same displayName, whatever the case (409 uniqueness)', async () => {
    await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Unique Group' }).expect(201);
    const res = await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'UNIQUE group' }).expect(409);
    expect(res.body.scimType).toBe('uniqueness');
  });

  it('answers a write to a group of more than 1,000 members without the member list, unless asked', async () => {
    const Operations = Array.from({ length: 1000 }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `b${i}`, data: { schemas: [USER_SCHEMA], userName: `bulk${i}@example.com` } }));
    const bulk = await okta.post('/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations }).expect(200);
    const ids: string[] = bulk.body.Operations.map((o: { location: string }) => o.location.split('/').pop());
    const extra = await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'one.more@example.com' }).expect(201);
    const group = await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Large', members: ids.map((value) => ({ value })) }).expect(201);
    expect(group.body.members).toHaveLength(1000);
    const patched = await okta.patch(`/Groups/${group.body.id}`, [{ op: 'add', path: 'members', value: [{ value: extra.body.id }] }]).expect(200);
    expect(patched.body.members).toBeUndefined();
    expect(patched.body.displayName).toBe('Large');
    const asked = await okta.patch(`/Groups/${group.body.id}?attributes=members`, [{ op: 'replace', path: 'displayName', value: 'Large 2' }]).expect(200);
    expect(asked.body.members).toHaveLength(1001);
    expect((await okta.get(`/Groups/${group.body.id}`).expect(200)).body.members).toHaveLength(1001);
  });

  it('applies all operations of a PATCH or none', async () => {
    const user = await okta.post('/Users', { schemas: [USER_SCHEMA], userName: 'atomic@example.com', title: 'Before' }).expect(201);
    const res = await okta.patch(`/Users/${user.body.id}`, [
      { op: 'replace', path: 'title', value: 'After' },
      { op: 'replace', path: 'active', value: 'not a boolean' },
    ]);
    expect(res.status).toBe(400);
    const got = await okta.get(`/Users/${user.body.id}`).expect(200);
    expect(got.body.title).toBe('Before');
    expect(got.body.meta.version).toBe(user.body.meta.version);
  });
});
