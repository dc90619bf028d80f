// A scim1 connector's SCIM 1.1 endpoint, driven as a 1.1 IdP drives it (Okta's and OneLogin's 1.1
// integrations: 1.1 URNs, PUT updates, partial-resource PATCH with meta.attributes and
// "operation": "delete"), and what reaches the directory through it.
import type { Test } from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, ERROR_SCHEMA } from '../support/scim';

const CORE = 'urn:scim:schemas:core:1.0';
const ENTERPRISE = 'urn:scim:schemas:extension:enterprise:1.0';

describe('SCIM 1.1 endpoint (scim1 connectors)', () => {
  let t: TestApp;
  let connectorId: string;
  let directoryId: string;
  let token: string;
  let baseUrl: string;

  const as = (test: Test, bearer = token) => test.set('authorization', `Bearer ${bearer}`).set('accept', 'application/json');
  const path = (p: string, id = connectorId) => `/scim/v1/${id}${p}`;
  const get = (p: string) => as(t.http.get(path(p)));
  const send = (method: 'post' | 'put' | 'patch', p: string, body: object) => as(t.http[method](path(p))).set('content-type', 'application/json').send(JSON.stringify(body));
  const del = (p: string) => as(t.http.delete(path(p)));

  const user = (userName: string, extra: object = {}) => ({
    schemas: [CORE, ENTERPRISE],
    userName,
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [{ value: userName, type: 'work', primary: true }],
    title: 'Tour Guide',
    active: true,
    [ENTERPRISE]: { employeeNumber: '701984', department: 'Tours' },
    ...extra,
  });

  async function directoryUser(username: string) {
    const res = await t.http.get(`/api/v1/directories/${directoryId}/users`).query({ q: username }).set(t.admin).expect(200);
    return res.body.users.find((u: { username: string }) => u.username === username);
  }

  async function directoryGroupNames(username: string): Promise<string[]> {
    const u = await directoryUser(username);
    const res = await t.http.get(`/api/v1/directories/${directoryId}/users/${u.id}/groups`).set(t.admin).expect(200);
    return res.body.groups.map((g: { displayName: string }) => g.displayName).sort();
  }

  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Legacy 1.1', idp: 'generic', protocol: 'scim1' }).expect(201);
    ({ id: connectorId, directoryId, token, scimBaseUrl: baseUrl } = created.body);
  });
  afterAll(() => t.close());

  describe('discovery and authentication', () => {
    it('describes itself at /ServiceProviderConfigs, SCIM 1.1 style', async () => {
      const res = await get('/ServiceProviderConfigs').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toMatchObject({
        schemas: [CORE],
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true },
        sort: { supported: true },
        etag: { supported: true },
        xmlDataFormat: { supported: false },
        authenticationSchemes: [expect.objectContaining({ name: 'OAuth Bearer Token', primary: true })],
        meta: { location: `${baseUrl}/ServiceProviderConfigs` },
      });
      expect((await get('/ServiceProviderConfig').expect(200)).body).toEqual(res.body);
    });

    it('serves the User schema with each attribute naming its schema, the enterprise extension included', async () => {
      const res = await get('/Schemas/Users').expect(200);
      expect(res.body).toMatchObject({ id: CORE, name: 'User', schema: CORE, endpoint: '/Users' });
      const byName = new Map(res.body.attributes.map((a: { name: string }) => [a.name, a]));
      expect(byName.get('userName')).toMatchObject({ type: 'string', multiValued: false, required: true, readOnly: false, schema: CORE });
      expect(byName.get('id')).toMatchObject({ readOnly: true, schema: CORE });
      expect(byName.get('meta')).toMatchObject({ readOnly: true, subAttributes: expect.not.arrayContaining([expect.objectContaining({ name: 'resourceType' })]) });
      expect(byName.get('emails')).toMatchObject({ multiValued: true, type: 'complex', subAttributes: expect.arrayContaining([expect.objectContaining({ name: 'value' })]) });
      expect(byName.get('employeeNumber')).toMatchObject({ schema: ENTERPRISE });
      expect((await get('/Schemas/Groups').expect(200)).body).toMatchObject({ name: 'Group', endpoint: '/Groups' });
      expect((await get('/Schemas').expect(200)).body.Resources.map((s: { name: string }) => s.name)).toEqual(['User', 'Group']);
    });

    it('answers errors in the 1.1 format: unknown schema, read-only discovery, unknown route', async () => {
      const missing = await get('/Schemas/Widgets').expect(404);
      expect(missing.body).toEqual({ Errors: [{ description: expect.stringContaining('Widgets'), code: '404' }] });
      const write = await send('post', '/ServiceProviderConfigs', {}).expect(405);
      expect(write.body).toEqual({ Errors: [{ description: expect.stringContaining('read-only'), code: '405' }] });
      // Bulk and .search are SCIM 2.0 only.
      expect((await send('post', '/Bulk', {}).expect(404)).body.Errors[0].code).toBe('404');
    });

    it('takes only this connector’s token, on the 1.1 endpoint only', async () => {
      const none = await t.http.get(path('/Users')).expect(401);
      expect(none.body).toEqual({ Errors: [{ description: expect.stringContaining('Authorization'), code: '401' }] });
      await as(t.http.get(path('/Users')), 'rst_not_the_token').expect(401);
      // A scim1 connector's token does not open the 2.0 endpoint of the same connector...
      const v2 = await as(t.http.get(`/scim/v2/${connectorId}/Users`)).expect(401);
      expect(v2.body.schemas).toEqual([ERROR_SCHEMA]);
      // ...and a scim2 connector's token does not open a 1.1 endpoint, its own id included.
      const okta = await createScimConnector(t, 'okta');
      await as(t.http.get(path('/Users', okta.connectorId)), okta.token).expect(401);
      await as(t.http.get(path('/Users')), okta.token).expect(401);
    });
  });

  describe('users', () => {
    let id: string;

    it('creates a user from a 1.1 body and answers in 1.1 terms', async () => {
      const res = await send('post', '/Users', { ...user('bjensen@example.com'), password: 'not-kept-1234' }).expect(201);
      id = res.body.id;
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers.location).toBe(`${baseUrl}/Users/${id}`);
      expect(res.headers.etag).toMatch(/^W\/"/);
      expect(res.body).toMatchObject({
        schemas: expect.arrayContaining([CORE, ENTERPRISE]),
        userName: 'bjensen@example.com',
        title: 'Tour Guide',
        [ENTERPRISE]: { employeeNumber: '701984', department: 'Tours' },
        meta: { location: `${baseUrl}/Users/${id}`, version: expect.any(String), created: expect.any(String), lastModified: expect.any(String) },
      });
      expect(res.body.schemas).toHaveLength(2);
      expect(res.body.meta).not.toHaveProperty('resourceType');
      expect(res.body).not.toHaveProperty('password');
      expect(JSON.stringify(res.body)).not.toContain('urn:ietf:params:scim');
    });

    it('projects the user into the directory like any other connector’s', async () => {
      expect(await directoryUser('bjensen@example.com')).toMatchObject({
        email: 'bjensen@example.com',
        firstName: 'Barbara',
        lastName: 'Jensen',
        title: 'Tour Guide',
        department: 'Tours',
        employeeNumber: '701984',
        active: true,
      });
    });

    it('refuses a second user with the same userName (409, nothing written)', async () => {
      const res = await send('post', '/Users', user('BJENSEN@example.com')).expect(409);
      expect(res.body).toEqual({ Errors: [{ description: expect.stringContaining('userName'), code: '409' }] });
      expect((await get('/Users').expect(200)).body.totalResults).toBe(1);
    });

    it('lists and filters with 1.1 list responses, extension attributes named the 1.1 way', async () => {
      const lookup = await get(`/Users?filter=${encodeURIComponent('userName eq "bjensen@example.com"')}`).expect(200);
      expect(lookup.body).toMatchObject({ schemas: [CORE], totalResults: 1, itemsPerPage: 1, startIndex: 1 });
      expect(lookup.body.Resources[0]).toMatchObject({ id, userName: 'bjensen@example.com' });
      const byExtension = await get(`/Users?filter=${encodeURIComponent(`${ENTERPRISE}.employeeNumber eq "701984"`)}`).expect(200);
      expect(byExtension.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
      const none = await get(`/Users?filter=${encodeURIComponent('title sw "Chief" or userName co "nobody"')}`).expect(200);
      expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
      const projected = await get(`/Users?attributes=userName&filter=${encodeURIComponent('userName pr')}`).expect(200);
      expect(Object.keys(projected.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
      const bad = await get(`/Users?filter=${encodeURIComponent('userName zz "x"')}`).expect(400);
      expect(bad.body.Errors[0]).toMatchObject({ code: '400' });
    });

    it('reads one user, and answers 304 to its current ETag', async () => {
      const res = await get(`/Users/${id}`).expect(200);
      expect(res.body.userName).toBe('bjensen@example.com');
      await get(`/Users/${id}`).set('if-none-match', res.headers.etag).expect(304);
      const missing = await get('/Users/6e0f4a6e-0000-4000-8000-000000000000').expect(404);
      expect(missing.body.Errors).toEqual([{ description: expect.any(String), code: '404' }]);
    });

    it('PATCHes with a partial resource: replace, add and delete values, remove named attributes', async () => {
      const res = await send('patch', `/Users/${id}`, {
        schemas: [CORE],
        displayName: 'Babs Jensen',
        emails: [
          { value: 'babs@example.org', type: 'home' },
          { value: 'bjensen@example.com', operation: 'delete' },
        ],
        [ENTERPRISE]: { department: 'Marketing' },
        meta: { attributes: ['title', `${ENTERPRISE}.employeeNumber`] },
      }).expect(200);
      expect(res.body).toMatchObject({ displayName: 'Babs Jensen', emails: [{ value: 'babs@example.org', type: 'home' }], [ENTERPRISE]: { department: 'Marketing' } });
      expect(res.body).not.toHaveProperty('title');
      expect(res.body[ENTERPRISE]).not.toHaveProperty('employeeNumber');
      expect(res.body.name).toEqual({ givenName: 'Barbara', familyName: 'Jensen' });
      expect(await directoryUser('bjensen@example.com')).toMatchObject({ displayName: 'Babs Jensen', title: null, department: 'Marketing', employeeNumber: null });
    });

    it('refuses a PATCH it cannot read, changing nothing', async () => {
      const before = (await get(`/Users/${id}`).expect(200)).body;
      const res = await send('patch', `/Users/${id}`, { emails: [{ value: 'x@example.org', operation: 'merge' }] }).expect(400);
      expect(res.body.Errors[0].description).toContain('"delete"');
      await send('patch', `/Users/${id}`, { meta: { attributes: 'title' } }).expect(400);
      expect((await get(`/Users/${id}`).expect(200)).body).toEqual(before);
    });

    it('deactivates by PUT, as Okta’s 1.1 integration does, and the directory user is disabled', async () => {
      const current = (await get(`/Users/${id}`).expect(200)).body;
      const res = await send('put', `/Users/${id}`, { ...current, active: false }).expect(200);
      expect(res.body.active).toBe(false);
      expect(res.body.meta.version).not.toBe(current.meta.version);
      expect((await directoryUser('bjensen@example.com')).active).toBe(false);
    });

    it('deletes a user with 200, as SCIM 1.1 answers', async () => {
      const other = (await send('post', '/Users', user('ajensen@example.com')).expect(201)).body.id;
      await del(`/Users/${other}`).expect(200);
      await get(`/Users/${other}`).expect(404);
      await del(`/Users/${other}`).expect(404);
    });
  });

  describe('groups', () => {
    const ids: string[] = [];
    let groupId: string;

    beforeAll(async () => {
      for (const name of ['ann', 'bob', 'cat']) ids.push((await send('post', '/Users', user(`${name}@example.com`)).expect(201)).body.id);
    });

    it('creates a group with members, which the directory group sync grants', async () => {
      const res = await send('post', '/Groups', { schemas: [CORE], displayName: 'Tour Guides', members: [{ value: ids[0], display: 'ann' }] }).expect(201);
      groupId = res.body.id;
      expect(res.body).toMatchObject({ schemas: [CORE], displayName: 'Tour Guides', members: [{ value: ids[0], display: 'ann' }] });
      expect(res.body.members[0]).not.toHaveProperty('$ref');
      expect(await directoryGroupNames('ann@example.com')).toEqual(['Tour Guides']);
    });

    it('adds and deletes members in one PATCH', async () => {
      const res = await send('patch', `/Groups/${groupId}`, {
        schemas: [CORE],
        members: [{ value: ids[1] }, { value: ids[2] }, { value: ids[0], operation: 'delete' }],
      }).expect(200);
      expect(res.body.members.map((m: { value: string }) => m.value).sort()).toEqual([ids[1], ids[2]].sort());
      expect(await directoryGroupNames('ann@example.com')).toEqual([]);
      expect(await directoryGroupNames('bob@example.com')).toEqual(['Tour Guides']);
    });

    it('replaces every member: meta.attributes ["members"] removes them before the new ones are added', async () => {
      const res = await send('patch', `/Groups/${groupId}`, { schemas: [CORE], members: [{ value: ids[0] }], meta: { attributes: ['members'] } }).expect(200);
      expect(res.body.members.map((m: { value: string }) => m.value)).toEqual([ids[0]]);
      expect(await directoryGroupNames('bob@example.com')).toEqual([]);
      expect(await directoryGroupNames('ann@example.com')).toEqual(['Tour Guides']);
    });

    it('renames by PATCH and lists groups with 1.1 list responses', async () => {
      await send('patch', `/Groups/${groupId}`, { displayName: 'Guides' }).expect(200);
      const list = await get(`/Groups?filter=${encodeURIComponent('displayName eq "Guides"')}`).expect(200);
      expect(list.body).toMatchObject({ schemas: [CORE], totalResults: 1, Resources: [{ id: groupId, displayName: 'Guides' }] });
      expect(await directoryGroupNames('ann@example.com')).toEqual(['Guides']);
    });

    it('deletes a group with 200', async () => {
      await del(`/Groups/${groupId}`).expect(200);
      await get(`/Groups/${groupId}`).expect(404);
    });
  });

  it('records 1.1 writes in the audit trail like 2.0 ones', async () => {
    const res = await t.http.get('/api/v1/audit-events').query({ connectorId, limit: 200 }).set(t.admin).expect(200);
    const actions = new Set(res.body.map((e: { action: string }) => e.action));
    for (const action of ['scim.user.created', 'scim.user.patched', 'scim.user.replaced', 'scim.user.deleted', 'scim.group.created', 'scim.group.deleted']) {
      expect(actions).toContain(action);
    }
  });
});
