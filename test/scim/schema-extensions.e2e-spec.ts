// Custom schema extensions declared per connector (RFC 7643 3.3): declared through the admin API,
// published in discovery, stored, filtered and patched like any other attribute, and only on the
// connector that declared them.
import { startTestApp, TestApp } from '../support/test-app';
import { ScimClient, USER_SCHEMA } from '../support/scim';

const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const ACME_GROUP = 'urn:example:params:scim:schemas:extension:acme:2.0:Group';
const extensions = [
  {
    resourceType: 'User',
    schema: {
      id: ACME,
      name: 'AcmeUser',
      description: 'Acme badge data',
      attributes: [
        { name: 'badgeNumber', type: 'string', caseExact: true },
        { name: 'clearance', type: 'integer' },
        { name: 'sites', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }, { name: 'primary', type: 'boolean' }] },
      ],
    },
  },
  { resourceType: 'Group', schema: { id: ACME_GROUP, name: 'AcmeGroup', attributes: [{ name: 'costCenter', type: 'string' }] } },
];

describe('Custom schema extensions', () => {
  let t: TestApp;
  let acme: ScimClient;
  let plain: ScimClient;
  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Acme IdP', idp: 'generic', scimSchemaExtensions: extensions }).expect(201);
    expect(created.body.scimSchemaExtensions[0].schema.attributes[0]).toMatchObject({ name: 'badgeNumber', caseExact: true, mutability: 'readWrite', returned: 'default' });
    acme = new ScimClient(t.http, created.body.id, created.body.token, created.body.scimBaseUrl);
    const other = await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Plain IdP', idp: 'generic' }).expect(201);
    plain = new ScimClient(t.http, other.body.id, other.body.token, other.body.scimBaseUrl);
  });
  afterAll(() => t.close());

  it('refuses an invalid declaration with 400 naming each offending field', async () => {
    const res = await t.http
      .post('/api/v1/connectors')
      .set(t.admin)
      .send({ name: 'Broken', idp: 'generic', scimSchemaExtensions: [{ resourceType: 'User', schema: { id: 'acme', name: 'A', attributes: [{ name: 'x', type: 'float' }] } }] })
      .expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['scimSchemaExtensions[0].schema.id', 'scimSchemaExtensions[0].schema.attributes[0].type']);
    const listed = await t.http.get('/api/v1/connectors').set(t.admin).expect(200);
    expect(listed.body.map((c: { name: string }) => c.name)).not.toContain('Broken');
  });

  it('publishes the extensions in /Schemas and /ResourceTypes of that connector only', async () => {
    const schemas = await acme.get('/Schemas').expect(200);
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toContain(ACME);
    expect((await acme.get(`/Schemas/${ACME}`).expect(200)).body.attributes.map((a: { name: string }) => a.name)).toEqual(['badgeNumber', 'clearance', 'sites']);
    const types = await acme.get('/ResourceTypes').expect(200);
    expect(types.body.Resources[0].schemaExtensions).toContainEqual({ schema: ACME, required: false });
    expect(types.body.Resources[1].schemaExtensions).toEqual([{ schema: ACME_GROUP, required: false }]);
    expect((await plain.get('/Schemas').expect(200)).body.Resources.map((s: { id: string }) => s.id)).not.toContain(ACME);
  });

  it('stores, filters, sorts and patches extension attributes', async () => {
    const a = await acme.post('/Users', { schemas: [USER_SCHEMA, ACME], userName: 'ada', [ACME]: { badgeNumber: 'B-7', clearance: 3, sites: [{ value: 'HQ', primary: true }] } }).expect(201);
    expect(a.body.schemas).toEqual([USER_SCHEMA, ACME]);
    expect(a.body[ACME]).toEqual({ badgeNumber: 'B-7', clearance: 3, sites: [{ value: 'HQ', primary: true }] });
    await acme.post('/Users', { schemas: [USER_SCHEMA, ACME], userName: 'bob', [ACME]: { badgeNumber: 'b-7', clearance: 5 } }).expect(201);
    await acme.post('/Users', { schemas: [USER_SCHEMA], userName: 'cyd', [ACME]: { clearance: 'high' } }).expect(400);

    const exact = await acme.get(`/Users?filter=${encodeURIComponent(`${ACME}:badgeNumber eq "B-7"`)}`).expect(200);
    expect(exact.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['ada']);
    const high = await acme.get(`/Users?filter=${encodeURIComponent(`${ACME}:clearance gt 4`)}`).expect(200);
    expect(high.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['bob']);
    const sorted = await acme.get(`/Users?sortBy=${encodeURIComponent(`${ACME}:clearance`)}&sortOrder=descending`).expect(200);
    expect(sorted.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['bob', 'ada']);

    const patched = await acme.patch(`/Users/${a.body.id}`, [{ op: 'replace', path: `${ACME}:sites[value eq "HQ"].value`, value: 'Lab' }]).expect(200);
    expect(patched.body[ACME].sites).toEqual([{ value: 'Lab', primary: true }]);
  });

  it('treats the same attributes as unknown on a connector that did not declare them', async () => {
    const res = await plain.post('/Users', { schemas: [USER_SCHEMA, ACME], userName: 'ada', [ACME]: { badgeNumber: 'B-7' } }).expect(201);
    expect(res.body[ACME]).toBeUndefined();
    await plain.get(`/Users?filter=${encodeURIComponent(`${ACME}:badgeNumber eq "B-7"`)}`).expect(400);
  });

  it('applies a changed declaration to the next request', async () => {
    await acme.get('/Groups').expect(200);
    await t.http.patch(`/api/v1/connectors/${acme.connectorId}`).set(t.admin).send({ scimSchemaExtensions: [extensions[0]] }).expect(200);
    const types = await acme.get('/ResourceTypes').expect(200);
    expect(types.body.Resources[1].schemaExtensions).toEqual([]);
    const group = await acme.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G', [ACME_GROUP]: { costCenter: 'x' } }).expect(201);
    expect(group.body[ACME_GROUP]).toBeUndefined();
  });
});
