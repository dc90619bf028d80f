// RFC 7644 transport behaviour that every IdP relies on: authentication per connector, error
// documents, content types, listing and paging, projection, ETags, uniqueness under concurrency.
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, ERROR_SCHEMA, GROUP_SCHEMA, ScimClient, USER_SCHEMA } from '../support/scim';

const user = (userName: string, extra: object = {}) => ({ schemas: [USER_SCHEMA], userName, ...extra });

describe('SCIM protocol', () => {
  let t: TestApp;
  let a: ScimClient;
  let b: ScimClient;
  beforeAll(async () => {
    t = await startTestApp();
    a = await createScimConnector(t, 'generic');
    b = await createScimConnector(t, 'generic');
  });
  afterAll(() => t.close());

  describe('authentication', () => {
    it('refuses a request without a token with 401, a SCIM error and WWW-Authenticate', async () => {
      const res = await t.http.get(a.path('/Users')).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
      expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
    });

    it('refuses another connector’s token', async () => {
      await t.http.get(a.path('/Users')).set('authorization', `Bearer ${b.token}`).expect(401);
    });

    it('keeps each connector’s resources apart', async () => {
      const created = await a.post('/Users', user('isolated@example.com')).expect(201);
      await b.get(`/Users/${created.body.id}`).expect(404);
      expect((await b.get('/Users').expect(200)).body.totalResults).toBe(0);
      // The same userName is free in another connector.
      await b.post('/Users', user('isolated@example.com')).expect(201);
    });

    it('applies a disable or a token rotation to the very next request', async () => {
      const c = await createScimConnector(t, 'okta');
      await c.get('/Users').expect(200);
      const rotated = await t.http.post(`/api/v1/connectors/${c.connectorId}/token`).set(t.admin).send({}).expect(201);
      await c.get('/Users').expect(401);
      const renewed = new ScimClient(t.http, c.connectorId, rotated.body.token, c.baseUrl);
      await renewed.get('/Users').expect(200);
      await t.http.post(`/api/v1/connectors/${c.connectorId}/disable`).set(t.admin).expect(200);
      await renewed.get('/Users').expect(403);
    });

    it('refuses a disabled connector with 403', async () => {
      const c = await createScimConnector(t, 'okta');
      await t.http.post(`/api/v1/connectors/${c.connectorId}/disable`).set(t.admin).expect(200);
      const res = await c.get('/Users').expect(403);
      expect(res.body.status).toBe('403');
    });
  });

  describe('errors and content types', () => {
    it('accepts application/json as well as application/scim+json', async () => {
      const res = await t.http
        .post(a.path('/Users'))
        .set('authorization', `Bearer ${a.token}`)
        .set('content-type', 'application/json')
        .send(user('json-client@example.com'))
        .expect(201);
      expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    });

    it('answers malformed JSON with 400 invalidSyntax', async () => {
      const res = await t.http.post(a.path('/Users')).set('authorization', `Bearer ${a.token}`).set('content-type', 'application/scim+json').send('{"userName":').expect(400);
      expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax' });
    });

    it('requires userName (400 invalidValue)', async () => {
      const res = await a.post('/Users', { schemas: [USER_SCHEMA], displayName: 'No name' }).expect(400);
      expect(res.body.scimType).toBe('invalidValue');
    });

    it('refuses a value of the wrong type (400 invalidValue)', async () => {
      const res = await a.post('/Users', user('typed@example.com', { active: 'sometimes' })).expect(400);
      expect(res.body.scimType).toBe('invalidValue');
    });

    it('answers an invalid filter with 400 invalidFilter', async () => {
      for (const filter of ['userName eq', 'userName xx "a"', 'nosuchattribute eq "a"', '(userName eq "a"']) {
        const res = await a.get(`/Users?filter=${encodeURIComponent(filter)}`).expect(400);
        expect(res.body.scimType).toBe('invalidFilter');
      }
    });

    it('answers unknown resource ids with 404 for every method', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        await a.get(`/Users/${id}`).expect(404);
        await a.put(`/Users/${id}`, user('x@example.com')).expect(404);
        await a.patch(`/Users/${id}`, [{ op: 'replace', path: 'active', value: false }]).expect(404);
        await a.delete(`/Users/${id}`).expect(404);
      }
    });
  });

  describe('listing', () => {
    let c: ScimClient;
    beforeAll(async () => {
      c = await createScimConnector(t, 'generic');
      for (let i = 1; i <= 7; i++) {
        await c.post('/Users', user(`page${i}@example.com`, { displayName: `Page ${8 - i}`, title: i % 2 ? 'odd' : 'even' })).expect(201);
      }
    });

    it('pages with 1-based startIndex and count, in a stable order', async () => {
      const seen: string[] = [];
      for (let start = 1; start <= 7; start += 3) {
        const res = await c.get(`/Users?startIndex=${start}&count=3`).expect(200);
        expect(res.body.totalResults).toBe(7);
        expect(res.body.startIndex).toBe(start);
        expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
        seen.push(...res.body.Resources.map((u: { userName: string }) => u.userName));
      }
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
    });

    it('gives only totalResults for count=0', async () => {
      const res = await c.get('/Users?count=0').expect(200);
      expect(res.body.totalResults).toBe(7);
      expect(res.body.Resources ?? []).toEqual([]);
    });

    it('sorts by sortBy and sortOrder', async () => {
      const res = await c.get('/Users?sortBy=displayName&sortOrder=descending').expect(200);
      expect(res.body.Resources.map((u: { displayName: string }) => u.displayName)).toEqual(['Page 7', 'Page 6', 'Page 5', 'Page 4', 'Page 3', 'Page 2', 'Page 1']);
    });

    it('filters with and/or/not and grouping', async () => {
      const res = await c.get(`/Users?filter=${encodeURIComponent('title eq "odd" and not (userName sw "page1" or userName sw "page3")')}`).expect(200);
      expect(res.body.Resources.map((u: { userName: string }) => u.userName).sort()).toEqual(['page5@example.com', 'page7@example.com']);
    });

    it('honours attributes and excludedAttributes (id and schemas always returned)', async () => {
      const only = await c.get('/Users?attributes=userName&count=1').expect(200);
      expect(Object.keys(only.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
      const without = await c.get('/Users?excludedAttributes=title,meta&count=1').expect(200);
      expect(without.body.Resources[0]).not.toHaveProperty('title');
      expect(without.body.Resources[0]).toHaveProperty('userName');
    });

    it('searches with POST /.search, per resource type and at the root', async () => {
      const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'title eq "even"', startIndex: 1, count: 10 };
      const users = await c.post('/Users/.search', body).expect(200);
      expect(users.body.totalResults).toBe(3);
      const root = await c.post('/.search', body).expect(200);
      expect(root.body.totalResults).toBe(3);
    });
  });

  describe('versions', () => {
    it('answers If-None-Match with 304 and a stale If-Match with 412', async () => {
      const created = await a.post('/Users', user('etag@example.com')).expect(201);
      const tag = created.headers.etag;
      expect(tag).toMatch(/^W\/".+"$/);
      await a.get(`/Users/${created.body.id}`).set('if-none-match', tag).expect(304);
      const changed = await a.patch(`/Users/${created.body.id}`, [{ op: 'replace', path: 'displayName', value: 'Changed' }]).set('if-match', tag).expect(200);
      expect(changed.headers.etag).not.toBe(tag);
      const stale = await a.patch(`/Users/${created.body.id}`, [{ op: 'replace', path: 'displayName', value: 'Again' }]).set('if-match', tag).expect(412);
      expect(stale.body.status).toBe('412');
      expect((await a.get(`/Users/${created.body.id}`).expect(200)).body.displayName).toBe('Changed');
    });

    it('keeps the version when a PATCH changes nothing', async () => {
      const created = await a.post('/Users', user('noop@example.com', { displayName: 'Same' })).expect(201);
      const res = await a.patch(`/Users/${created.body.id}`, [{ op: 'replace', path: 'displayName', value: 'Same' }]).expect(200);
      expect(res.headers.etag).toBe(created.headers.etag);
    });
  });

  describe('concurrency', () => {
    it('gives one 201 and one 409 to two concurrent creates of the same userName', async () => {
      const results = await Promise.all([a.post('/Users', user('race@example.com')), a.post('/Users', user('RACE@example.com'))]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body.scimType).toBe('uniqueness');
    });

    it('loses no change when 20 PATCHes change one user at once', async () => {
      const created = await a.post('/Users', user('contended@example.com')).expect(201);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => a.patch(`/Users/${created.body.id}`, [{ op: 'add', path: 'emails', value: [{ type: `t${i}`, value: `e${i}@example.com` }] }])),
      );
      for (const r of results) expect(r.status).toBe(200);
      const got = await a.get(`/Users/${created.body.id}`).expect(200);
      expect(got.body.emails.map((e: { value: string }) => e.value).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `e${i}@example.com`).sort());
      expect(got.body.meta.version).toBe('W/"21"');
    });

    it('loses no member when 20 PATCHes add members to one group at once', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push((await a.post('/Users', user(`member${i}@example.com`)).expect(201)).body.id);
      const group = await a.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Concurrent' }).expect(201);
      const results = await Promise.all(ids.map((id) => a.patch(`/Groups/${group.body.id}`, [{ op: 'add', path: 'members', value: [{ value: id }] }])));
      for (const r of results) expect(r.status).toBe(200);
      const got = await a.get(`/Groups/${group.body.id}`).expect(200);
      expect(got.body.members.map((m: { value: string }) => m.value).sort()).toEqual([...ids].sort());
    });
  });
});
