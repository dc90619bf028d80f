// Discovery documents (RFC 7644 section 4) and Bulk (3.7) as IdPs use them.
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, ERROR_SCHEMA, GROUP_SCHEMA, LIST_SCHEMA, ScimClient, USER_SCHEMA } from '../support/scim';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

describe('SCIM discovery and Bulk', () => {
  let t: TestApp;
  let c: ScimClient;
  beforeAll(async () => {
    t = await startTestApp();
    c = await createScimConnector(t, 'generic');
  });
  afterAll(() => t.close());

  describe('discovery', () => {
    it('describes what the endpoint supports, at /ServiceProviderConfig and /serviceConfiguration', async () => {
      for (const path of ['/ServiceProviderConfig', '/serviceConfiguration']) {
        const res = await c.get(path).expect(200);
        expect(res.body).toMatchObject({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
          patch: { supported: true },
          bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
          filter: { supported: true, maxResults: 1000 },
          changePassword: { supported: false },
          sort: { supported: true },
          etag: { supported: true },
          authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', description: expect.any(String) })],
        });
      }
    });

    it('lists User then Group resource types, each also readable alone', async () => {
      const res = await c.get('/ResourceTypes').expect(200);
      expect(res.body.schemas).toEqual([LIST_SCHEMA]);
      expect(res.body.Resources.map((r: { endpoint: string }) => r.endpoint)).toEqual(['/Users', '/Groups']);
      expect(res.body.Resources[0].schemaExtensions).toEqual([{ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false }]);
      expect((await c.get('/ResourceTypes/Group').expect(200)).body.schema).toBe(GROUP_SCHEMA);
      await c.get('/ResourceTypes/Printer').expect(404);
    });

    it('publishes the schemas with attribute characteristics', async () => {
      const res = await c.get('/Schemas').expect(200);
      expect(res.body.Resources.map((s: { id: string }) => s.id)).toEqual([
        USER_SCHEMA,
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        GROUP_SCHEMA,
      ]);
      const user = (await c.get(`/Schemas/${USER_SCHEMA}`).expect(200)).body;
      expect(user.description).toBe('User Account');
      const userName = user.attributes.find((a: { name: string }) => a.name === 'userName');
      expect(userName).toMatchObject({ required: true, uniqueness: 'server', caseExact: false, mutability: 'readWrite' });
      expect(user.attributes.find((a: { name: string }) => a.name === 'password')).toMatchObject({ returned: 'never', mutability: 'writeOnly' });
    });

    it('answers /Me with 501 Not Implemented', async () => {
      const res = await c.get('/Me').expect(501);
      expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '501' });
    });

    it('refuses writes to discovery endpoints with 405 before reading the body', async () => {
      for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
        const res = await c.post(path, {}).set('content-type', 'application/scim+json; charset=utf-8').send('test').expect(405);
        expect(res.headers.allow).toBe('GET');
        expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '405' });
      }
    });
  });

  describe('Bulk', () => {
    it('creates a user and a group that references it by bulkId, in dependency order', async () => {
      const res = await c
        .post('/Bulk', {
          schemas: [BULK_REQUEST],
          Operations: [
            { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: [GROUP_SCHEMA], displayName: 'Bulk group', members: [{ value: 'bulkId:u1' }] } },
            { method: 'POST', path: '/Users', bulkId: 'u1', data: { schemas: [USER_SCHEMA], userName: 'bulk.user@example.com' } },
          ],
        })
        .expect(200);
      expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
      const [first, second] = res.body.Operations;
      expect(first).toMatchObject({ method: 'POST', bulkId: 'u1', status: '201' });
      expect(second).toMatchObject({ method: 'POST', bulkId: 'g1', status: '201' });
      const userId = first.location.split('/').pop();
      const group = await c.get(`/Groups/${second.location.split('/').pop()}`).expect(200);
      expect(group.body.members.map((m: { value: string }) => m.value)).toEqual([userId]);
    });

    it('reports each failure and stops after failOnErrors', async () => {
      const res = await c
        .post('/Bulk', {
          schemas: [BULK_REQUEST],
          failOnErrors: 1,
          Operations: [
            { method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER_SCHEMA], userName: 'bulk.user@example.com' } },
            { method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: [USER_SCHEMA], userName: 'never.created@example.com' } },
          ],
        })
        .expect(200);
      expect(res.body.Operations).toHaveLength(1);
      expect(res.body.Operations[0]).toMatchObject({ bulkId: 'a', status: '409', response: { scimType: 'uniqueness' } });
      expect((await c.get('/Users?filter=userName eq "never.created@example.com"').expect(200)).body.totalResults).toBe(0);
    });

    it('refuses more operations than maxOperations with 413', async () => {
      const Operations = Array.from({ length: 1001 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` }));
      const res = await c.post('/Bulk', { schemas: [BULK_REQUEST], Operations }).expect(413);
      expect(res.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '413' });
    });
  });
});
