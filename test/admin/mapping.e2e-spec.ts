// A connector's attribute mapping through the admin API: the preset default, replacing it (validated,
// audited), previewing a sample record with the saved mapping or a draft, and going back to the preset.
import { startTestApp, TestApp } from '../support/test-app';

describe('Connector mapping API', () => {
  let t: TestApp;
  let okta: string;
  let ldap: string;
  beforeAll(async () => {
    t = await startTestApp();
    okta = (await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Okta', idp: 'okta' }).expect(201)).body.id;
    ldap = (await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Corp LDAP', idp: 'generic', protocol: 'ldap' }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  const mappingOf = (id: string) => t.http.get(`/api/v1/connectors/${id}/mapping`).set(t.admin);

  it('starts from the IdP preset’s default mapping', async () => {
    const res = await mappingOf(okta).expect(200);
    expect(res.body).toMatchObject({ origin: 'preset', preset: 'okta', updatedAt: null, mapping: { kind: 'scim' } });
    expect(res.body.mapping.rules[0]).toMatchObject({ target: 'username', source: { scim: 'userName' } });
    expect((await mappingOf(ldap).expect(200)).body).toMatchObject({ preset: 'ldap', mapping: { kind: 'ldap' } });
  });

  it('previews an Okta user with the default mapping, naming the rule behind each field', async () => {
    const res = await t.http
      .post(`/api/v1/connectors/${okta}/mapping/preview`)
      .set(t.admin)
      .send({
        record: {
          userName: 'ada@example.com',
          name: { givenName: 'Ada', familyName: 'Lovelace' },
          emails: { value: 'Ada.Lovelace@Example.com', type: 'work', primary: 'True' },
          active: 'False',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Engines' },
        },
      })
      .expect(200);
    expect(res.body.outcome).toBe('mapped');
    expect(res.body.user.fields).toMatchObject({ username: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', active: false, department: 'Engines' });
    expect(res.body.user.fields.email.toLowerCase()).toBe('ada.lovelace@example.com');
    expect(typeof res.body.user.provenance.username).toBe('number');
  });

  it('refuses an invalid mapping with 400 naming the rule and field, and keeps the old one', async () => {
    const res = await t.http
      .put(`/api/v1/connectors/${okta}/mapping`)
      .set(t.admin)
      .send({ kind: 'scim', rules: [{ target: 'username', source: { scim: 'userName' } }, { target: 'email', source: { scim: 'emails.value' }, transform: [{ replace: { pattern: '(?=x)', with: '' } }] }] })
      .expect(400);
    expect(res.body.fields[0].field).toBe('rules[1].transform[0].replace.pattern');
    expect(res.body.fields[0].problems[0]).toMatch(/RE2/);
    expect((await mappingOf(okta).expect(200)).body.origin).toBe('preset');
  });

  it('replaces the mapping (audited), previews with it, tries a draft, and resets to the preset', async () => {
    const mapping = {
      kind: 'scim',
      rules: [
        { target: 'username', source: { scim: 'userName' }, transform: ['lowercase'] },
        { target: 'email', source: { template: '{name.givenName}.{name.familyName}@corp.example' }, transform: ['lowercase'] },
        { target: 'custom:badge', source: { scim: 'externalId' }, onEmpty: 'default', default: 'none' },
        { drop: { when: { source: { scim: 'userType' }, equals: 'Contractor' } } },
      ],
    };
    const saved = await t.http.put(`/api/v1/connectors/${okta}/mapping`).set(t.admin).send(mapping).expect(200);
    expect(saved.body).toMatchObject({ origin: 'custom', mapping });
    expect(saved.body.updatedAt).not.toBeNull();

    const preview = (record: object, draft?: object) =>
      t.http.post(`/api/v1/connectors/${okta}/mapping/preview`).set(t.admin).send({ record, ...(draft ? { mapping: draft } : {}) }).expect(200);
    const mapped = await preview({ userName: 'Ada@Example.com', name: { givenName: 'Ada', familyName: 'Lovelace' } });
    expect(mapped.body.user).toMatchObject({ fields: { username: 'ada@example.com', email: 'ada.lovelace@corp.example' }, custom: { badge: 'none' }, provenance: { username: 0, email: 1, 'custom:badge': 'default' } });
    const dropped = await preview({ userName: 'c@example.com', userType: 'Contractor' });
    expect(dropped.body).toMatchObject({ outcome: 'dropped', rule: 3 });
    const draft = await preview({ userName: 'Ada@Example.com' }, { kind: 'scim', rules: [{ target: 'username', source: { scim: 'userName' }, transform: ['uppercase'] }] });
    expect(draft.body.user.fields.username).toBe('ADA@EXAMPLE.COM');
    expect((await mappingOf(okta).expect(200)).body.mapping).toEqual(mapping);

    const events = await t.http.get('/api/v1/audit-events').query({ connectorId: okta }).set(t.admin).expect(200);
    expect(events.body.map((e: { action: string }) => e.action)).toContain('connector.mapping_replaced');

    const reset = await t.http.delete(`/api/v1/connectors/${okta}/mapping`).set(t.admin).expect(200);
    expect(reset.body).toMatchObject({ origin: 'preset', preset: 'okta' });
  });

  it('answers 404 for an unknown connector and 401 without the admin token', async () => {
    await t.http.get('/api/v1/connectors/00000000-0000-4000-8000-000000000000/mapping').set(t.admin).expect(404);
    await t.http.get(`/api/v1/connectors/${okta}/mapping`).expect(401);
  });
});
