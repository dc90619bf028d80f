// An LDAP connector's server settings and the test search for one user, against a real slapd.
import { ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd, slapdAvailable, startSlapd } from '../support/slapd';
import { createScimConnector } from '../support/scim';
import { startTestApp, TestApp } from '../support/test-app';

const describeLdap = slapdAvailable() ? describe : describe.skip;

describeLdap('LDAP connector settings and test search (slapd)', () => {
  let t: TestApp;
  let slapd: Slapd;
  let connectorId: string;
  const settings = () => ({ url: slapd.url, bindDn: ADMIN_DN, bindPassword: ADMIN_PASSWORD, baseDn: BASE_DN, userFilter: '(objectClass=inetOrgPerson)' });
  const put = (body: object, id = connectorId) => t.http.put(`/api/v1/connectors/${id}/ldap`).set(t.admin).send(body);
  const search = (username: unknown, id = connectorId) => t.http.post(`/api/v1/connectors/${id}/ldap/test`).set(t.admin).send({ username });

  beforeAll(async () => {
    [t, slapd] = await Promise.all([startTestApp(), startSlapd()]);
    connectorId = (await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Corporate LDAP', idp: 'generic', protocol: 'ldap' }).expect(201)).body.id;
    await slapd.addPerson('ada', { givenName: 'Ada', sn: 'Lovelace', cn: 'Ada Lovelace', mail: 'ada@example.com', title: 'Analyst', userPassword: '{SSHA}not-for-roster' });
    await slapd.addPerson('alan', { givenName: 'Alan', sn: 'Turing', mail: ['alan@example.com', 'turing@example.com'] });
    await slapd.admin((c) => c.add(`ou=contractors,${BASE_DN}`, { objectClass: 'organizationalUnit', ou: 'contractors' }));
    await slapd.admin((c) => c.add(`uid=alan,ou=contractors,${BASE_DN}`, { objectClass: 'inetOrgPerson', uid: 'alan', cn: 'Alan (contractor)', sn: 'Turing' }));
  });
  afterAll(async () => {
    await t?.close();
    await slapd?.stop();
  });

  it('has no settings until an admin sets them, and a test search says so', async () => {
    expect((await t.http.get(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).expect(200)).body).toBeNull();
    const res = await search('ada').expect(400);
    expect(res.body.message).toContain('no LDAP server settings');
  });

  it('refuses bad settings, naming every field', async () => {
    const res = await put({ url: 'http://ldap.example.com', bindDn: '', userFilter: '(objectClass=person', usernameAttribute: 'user name', timeoutSeconds: 0, colour: 'red' }).expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      ['baseDn', 'bindDn', 'bindPassword', 'colour', 'timeoutSeconds', 'url', 'userFilter', 'usernameAttribute'].sort(),
    );
    expect((await t.http.get(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).expect(200)).body).toBeNull();
  });

  it('stores the settings with defaults and never shows or audits the bind password', async () => {
    const res = await put(settings()).expect(200);
    expect(res.body).toEqual({
      url: slapd.url,
      bindDn: ADMIN_DN,
      baseDn: BASE_DN,
      userFilter: '(objectClass=inetOrgPerson)',
      usernameAttribute: 'uid',
      idAttribute: 'entryUUID',
      timeoutSeconds: 10,
      tlsVerify: true,
      syncGroups: true,
      groupFilter: '(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=group))',
      groupNameAttribute: 'cn',
      groupMemberAttribute: 'member',
      syncIntervalMinutes: 0,
      bindPasswordSet: true,
    });
    expect((await t.http.get(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).expect(200)).body).toEqual(res.body);
    const audit = await t.http.get('/api/v1/audit-events').query({ connectorId }).set(t.admin).expect(200);
    expect(audit.body[0]).toMatchObject({ action: 'connector.ldap_settings_replaced', details: { ldap: { bindPasswordSet: true } } });
    expect(JSON.stringify(audit.body)).not.toContain(ADMIN_PASSWORD);
    expect(JSON.stringify((await t.http.get(`/api/v1/connectors/${connectorId}`).set(t.admin).expect(200)).body)).not.toContain(ADMIN_PASSWORD);
  });

  it('finds one user and shows what the mapping makes of the entry', async () => {
    const res = await search('ada');
    expect(res.body.message).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.entry).toMatchObject({ dn: `uid=ada,ou=people,${BASE_DN}`, uid: 'ada', mail: 'ada@example.com', title: 'Analyst' });
    // The bind account may read password hashes: Roster never keeps or shows them.
    expect(JSON.stringify(res.body)).not.toContain('not-for-roster');
    expect(Object.keys(res.body.entry).map((k) => k.toLowerCase())).not.toContain('userpassword');
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.body.mapped).toMatchObject({
      outcome: 'mapped',
      user: { fields: { username: 'ada', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', displayName: 'Ada Lovelace', title: 'Analyst' } },
    });
    // Nothing was written: the directory has no user yet.
    const connector = (await t.http.get(`/api/v1/connectors/${connectorId}`).set(t.admin).expect(200)).body;
    expect((await t.http.get(`/api/v1/directories/${connector.directoryId}/users`).set(t.admin).expect(200)).body.users).toEqual([]);
  });

  it('keeps the stored password when settings come back without one', async () => {
    await put({ ...settings(), bindPassword: undefined, userFilter: '(&(objectClass=inetOrgPerson)(mail=*))' }).expect(200);
    expect((await search('ada').expect(200)).body.entry.uid).toBe('ada');
  });

  it('answers 404 for no match, 409 for two, and escapes what the admin types', async () => {
    expect((await search('grace').expect(404)).body.message).toContain('uid=grace');
    await put({ ...settings(), userFilter: '(objectClass=inetOrgPerson)' }).expect(200);
    const two = await search('alan').expect(409);
    expect(two.body.message).toContain(`uid=alan,ou=contractors,${BASE_DN}`);
    // `*` is a value, not a wildcard: it matches nobody rather than everyone.
    await search('*').expect(404);
    await search('').expect(400);
  });

  it('reports a refused bind and an unreachable server as 502 with the reason', async () => {
    const wrong = await put({ ...settings(), bindPassword: 'not-the-password' }).expect(200);
    expect(wrong.body.bindPasswordSet).toBe(true);
    expect((await search('ada').expect(502)).body.message).toContain('invalid credentials');
    await put({ ...settings(), url: 'ldap://127.0.0.1:1', timeoutSeconds: 2 }).expect(200);
    expect((await search('ada').expect(502)).body.message).toContain('Could not talk to the LDAP server');
    await put(settings()).expect(200);
  });

  it('backs the settings up without the password, and a restore keeps the stored one', async () => {
    const backup = (await t.http.get('/api/v1/config/export').set(t.admin).expect(200)).body;
    expect(JSON.stringify(backup)).not.toContain(ADMIN_PASSWORD);
    const ldap = backup.connectors.find((c: { id: string }) => c.id === connectorId);
    expect(ldap.settings.ldap).toMatchObject({ url: slapd.url, baseDn: BASE_DN });
    ldap.settings.ldap.timeoutSeconds = 20;
    const res = await t.http.post('/api/v1/config/import').set(t.admin).send(backup).expect(200);
    expect(res.body.connectors.find((c: { id: string }) => c.id === connectorId)).toMatchObject({ action: 'updated', changed: ['settings.ldap'] });
    expect((await search('ada').expect(200)).body.entry.uid).toBe('ada');
  });

  it('belongs to LDAP connectors only', async () => {
    const okta = await createScimConnector(t, 'okta');
    expect((await put(settings(), okta.connectorId).expect(400)).body.message).toContain('speaks scim2');
  });
});
