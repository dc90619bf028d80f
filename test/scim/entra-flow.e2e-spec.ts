// Microsoft Entra ID's provisioning requests, as its SCIM docs show them, both without the
// aadOptscim062020 flag (capitalised ops, booleans as strings, members removed by value list) and
// with it (RFC-shaped). Roster accepts both on every connector.
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, ENTERPRISE_SCHEMA, GROUP_SCHEMA, ScimClient, USER_SCHEMA } from '../support/scim';

const entraUser = (upn: string, externalId: string) => ({
  schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
  externalId,
  userName: upn,
  active: true,
  addresses: [{ primary: true, type: 'work', streetAddress: '1 Microsoft Way', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US' }],
  displayName: 'Jeff Gomez',
  emails: [{ primary: true, type: 'work', value: upn }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Jeff Gomez', familyName: 'Gomez', givenName: 'Jeff' },
  phoneNumbers: [{ primary: true, type: 'work', value: '+1 (425) 555-0100' }],
  title: 'Program Manager',
  [ENTERPRISE_SCHEMA]: { department: 'Engineering', employeeNumber: '701984', manager: { value: '' } },
});

const flavours: [string, (op: string) => string, (b: boolean) => unknown][] = [
  ['without aadOptscim062020', (op) => op[0].toUpperCase() + op.slice(1), (b) => (b ? 'True' : 'False')],
  ['with aadOptscim062020', (op) => op, (b) => b],
];

describe.each(flavours)('Entra ID provisioning flow %s', (_name, op, bool) => {
  let t: TestApp;
  let entra: ScimClient;
  let userId: string;
  let managerId: string;
  let groupId: string;

  beforeAll(async () => {
    t = await startTestApp();
    entra = await createScimConnector(t, 'entra');
  });
  afterAll(() => t.close());

  // Entra ID connectors answer PATCH with 204 No Content, as Entra asks.
  const patchOk = (r: { status: number }) => expect(r.status).toBe(204);

  it('looks the user up by userName and by externalId, finding nothing', async () => {
    const byName = await entra.get(`/Users?filter=${encodeURIComponent('userName eq "Test_User_dfeef4c5@contoso.com"')}`).expect(200);
    expect(byName.body.totalResults).toBe(0);
    const byExternal = await entra.get(`/Users?filter=${encodeURIComponent('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`).expect(200);
    expect(byExternal.body.totalResults).toBe(0);
  });

  it('creates users with the enterprise extension', async () => {
    const res = await entra.post('/Users', entraUser('Test_User_dfeef4c5@contoso.com', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef')).expect(201);
    userId = res.body.id;
    expect(res.body[ENTERPRISE_SCHEMA]).toMatchObject({ department: 'Engineering', employeeNumber: '701984' });
    managerId = (await entra.post('/Users', entraUser('Manager_1@contoso.com', 'manager-ext')).expect(201)).body.id;
    const found = await entra.get(`/Users?filter=${encodeURIComponent('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`).expect(200);
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([userId]);
  });

  it('applies a multi-operation PATCH with typed paths, dotted keys, URN keys and a bare-string manager', async () => {
    await entra
      .patch(`/Users/${userId}`, [
        { op: op('replace'), path: 'displayName', value: 'Jeff G.' },
        { op: op('add'), path: 'emails[type eq "work"].value', value: 'jeff@contoso.com' },
        { op: op('add'), path: 'addresses[type eq "home"].locality', value: 'Seattle' },
        { op: op('replace'), value: { 'name.givenName': 'Jeffrey', [`${ENTERPRISE_SCHEMA}:employeeNumber`]: '701985' } },
        { op: op('replace'), path: `${ENTERPRISE_SCHEMA}:manager`, value: managerId },
        { op: op('replace'), path: 'phoneNumbers[type eq "work"].primary', value: bool(true) },
      ])
      .expect(patchOk);
    const got = (await entra.get(`/Users/${userId}`).expect(200)).body;
    expect(got.displayName).toBe('Jeff G.');
    expect(got.emails).toEqual([{ primary: true, type: 'work', value: 'jeff@contoso.com' }]);
    expect(got.addresses).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'home', locality: 'Seattle' })]));
    expect(got.name.givenName).toBe('Jeffrey');
    expect(got[ENTERPRISE_SCHEMA].employeeNumber).toBe('701985');
    expect(got[ENTERPRISE_SCHEMA].manager).toMatchObject({ value: managerId });
    expect(got.phoneNumbers[0].primary).toBe(true);
  });

  it('keeps a deactivation even when another operation names an unknown address sub-attribute', async () => {
    await entra
      .patch(`/Users/${userId}`, [
        { op: op('replace'), path: 'addresses[type eq "work"].notAnAttribute', value: 'x' },
        { op: op('replace'), path: 'active', value: bool(false) },
      ])
      .expect(patchOk);
    expect((await entra.get(`/Users/${userId}`).expect(200)).body.active).toBe(false);
  });

  it('accepts null values as removal', async () => {
    await entra.patch(`/Users/${userId}`, [{ op: op('replace'), path: 'title', value: null }]).expect(patchOk);
    expect((await entra.get(`/Users/${userId}`).expect(200)).body).not.toHaveProperty('title');
  });

  it('creates an empty group, finds it without members, then fills and empties it by PATCH', async () => {
    const none = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Group1DisplayName"')}`).expect(200);
    expect(none.body.totalResults).toBe(0);
    const created = await entra
      .post('/Groups', { schemas: [GROUP_SCHEMA], externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'Group1DisplayName', members: [] })
      .expect(201);
    groupId = created.body.id;

    await entra.patch(`/Groups/${groupId}`, [{ op: op('add'), path: 'members', value: [{ value: userId }, { value: managerId }] }]).expect(patchOk);
    const found = await entra.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "group1displayname"')}`).expect(200);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0]).not.toHaveProperty('members');

    await entra.patch(`/Groups/${groupId}`, [{ op: op('remove'), path: 'members', value: [{ value: managerId }] }]).expect(patchOk);
    let members = (await entra.get(`/Groups/${groupId}`).expect(200)).body.members;
    expect(members.map((m: { value: string }) => m.value)).toEqual([userId]);

    await entra.patch(`/Groups/${groupId}`, [{ op: op('remove'), path: `members[value eq "${userId}"]` }]).expect(patchOk);
    members = (await entra.get(`/Groups/${groupId}`).expect(200)).body.members ?? [];
    expect(members).toEqual([]);
  });

  const directoryUser = async (username: string) => {
    const connector = (await t.http.get(`/api/v1/connectors/${entra.connectorId}`).set(t.admin).expect(200)).body;
    const page = await t.http.get(`/api/v1/directories/${connector.directoryId}/users`).query({ q: username }).set(t.admin).expect(200);
    return page.body.users[0];
  };

  it('leaves the directory user the Entra preset maps, following every change', async () => {
    expect(await directoryUser('test_user_dfeef4c5@contoso.com')).toMatchObject({
      username: 'Test_User_dfeef4c5@contoso.com',
      email: 'jeff@contoso.com',
      displayName: 'Jeff G.',
      firstName: 'Jeffrey',
      lastName: 'Gomez',
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      department: 'Engineering',
      employeeNumber: '701985',
      manager: managerId,
      title: null,
      active: false,
      sources: [expect.objectContaining({ connectorId: entra.connectorId, sourceRef: userId })],
    });
  });

  it('deletes a user, who then disappears from lookups', async () => {
    await entra.delete(`/Users/${userId}`).expect(204);
    expect(await directoryUser('test_user_dfeef4c5@contoso.com')).toMatchObject({ active: false, sources: [] });
    await entra.get(`/Users/${userId}`).expect(404);
    const found = await entra.get(`/Users?filter=${encodeURIComponent('userName eq "Test_User_dfeef4c5@contoso.com"')}`).expect(200);
    expect(found.body.totalResults).toBe(0);
  });
});
