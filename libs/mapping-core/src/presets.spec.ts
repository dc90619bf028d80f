import { ENTERPRISE_USER_SCHEMA } from '@roster/scim-core';
import { compileMapping } from './compile';
import { evaluate } from './evaluate';
import { MAPPING_PRESETS, defaultMapping, type MappingPreset } from './presets';
import type { SourceRecord } from './record';
import type { MappedUser, MappedValues } from './targets';
import { validateMapping } from './validate';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

function map(preset: MappingPreset, record: SourceRecord, previous?: MappedValues): MappedUser {
  const evaluation = evaluate(compileMapping(defaultMapping(preset)), record, previous);
  if (evaluation.outcome !== 'mapped') throw new Error(`${evaluation.outcome}: ${evaluation.reason}`);
  return evaluation.user;
}

/** Okta's create request, as its SCIM 2.0 reference documents it. */
const OKTA_USER = {
  schemas: [CORE],
  userName: 'test.user@okta.local',
  name: { givenName: 'Test', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
  displayName: 'Test User',
  locale: 'en-US',
  externalId: '00ujl29u0le5T6Aj10h7',
  groups: [],
  active: true,
};

/** An Entra ID member user with the enterprise extension; Entra's legacy mode sends active as "True". */
const ENTRA_USER = {
  schemas: [CORE, ENTERPRISE_USER_SCHEMA],
  externalId: 'AdeleV',
  userName: 'AdeleV@contoso.onmicrosoft.com',
  active: 'True',
  displayName: 'Adele Vance',
  title: 'Retail Manager',
  emails: [{ primary: true, type: 'work', value: 'Adele.Vance@contoso.com' }],
  name: { formatted: 'Adele Vance', familyName: 'Vance', givenName: 'Adele' },
  phoneNumbers: [
    { type: 'mobile', value: '+1 425 555 0109' },
    { type: 'work', value: '+1 425 555 0100' },
  ],
  [ENTERPRISE_USER_SCHEMA]: { department: 'Retail', employeeNumber: 'E1042', manager: { value: '5e2b6f1c-0d4e-4a43-9a8b-2f1d2e3c4b5a' } },
};

/** OneLogin sends the body of the admin's SCIM JSON template; `emails` often as one object. */
const ONELOGIN_USER = {
  schemas: [CORE, ENTERPRISE_USER_SCHEMA],
  userName: 'jdoe',
  name: { givenName: 'Jane', familyName: 'Doe' },
  emails: { value: 'jane.doe@example.com', type: 'work', primary: true },
  title: 'Engineer',
  [ENTERPRISE_USER_SCHEMA]: { department: 'R&D' },
};

/** An OpenLDAP inetOrgPerson entry. */
const LDAP_ENTRY = {
  dn: 'uid=ghopper,ou=people,dc=example,dc=com',
  objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
  uid: 'ghopper',
  cn: 'Grace Hopper',
  sn: 'Hopper',
  givenName: 'Grace',
  mail: 'grace.hopper@example.com',
  telephoneNumber: '+1 555 0142',
  title: 'Rear Admiral',
  departmentNumber: 'Navy-CS',
  employeeNumber: '1906',
  manager: 'uid=cnimitz,ou=people,dc=example,dc=com',
};

/** An Active Directory user as an LDAP search returns it; 514 = NORMAL_ACCOUNT | ACCOUNTDISABLE. */
const AD_ENTRY = {
  distinguishedName: 'CN=Alan Turing,OU=Staff,DC=corp,DC=example',
  sAMAccountName: 'aturing',
  userPrincipalName: 'aturing@corp.example',
  displayName: 'Alan Turing',
  cn: 'Alan Turing',
  givenName: 'Alan',
  sn: 'Turing',
  mail: 'alan.turing@corp.example',
  telephoneNumber: '+44 1908 640404',
  title: 'Cryptanalyst',
  department: 'Hut 8',
  manager: 'CN=Dilly Knox,OU=Staff,DC=corp,DC=example',
  employeeID: '1912',
  userAccountControl: '514',
};

describe('default mappings', () => {
  it.each(MAPPING_PRESETS)('%s validates as admin input would', (preset) => {
    expect(validateMapping(JSON.parse(JSON.stringify(defaultMapping(preset))))).toEqual({ ok: true, mapping: defaultMapping(preset) });
  });

  it('maps an Okta user', () => {
    const user = map('okta', { kind: 'scim', resource: OKTA_USER });
    expect(user.fields).toEqual({
      username: 'test.user@okta.local',
      email: 'test.user@okta.local',
      displayName: 'Test User',
      firstName: 'Test',
      lastName: 'User',
      active: true,
      externalId: '00ujl29u0le5T6Aj10h7',
      phone: null,
      title: null,
      department: null,
      manager: null,
      employeeNumber: null,
    });
    expect(user.custom).toEqual({});
  });

  it('maps an Entra user: the UPN is the username, the work email the email, enterprise fields', () => {
    const user = map('entra', { kind: 'scim', resource: ENTRA_USER });
    expect(user.fields).toEqual({
      username: 'AdeleV@contoso.onmicrosoft.com',
      email: 'Adele.Vance@contoso.com',
      displayName: 'Adele Vance',
      firstName: 'Adele',
      lastName: 'Vance',
      active: true,
      externalId: 'AdeleV',
      phone: '+1 425 555 0100',
      title: 'Retail Manager',
      department: 'Retail',
      manager: '5e2b6f1c-0d4e-4a43-9a8b-2f1d2e3c4b5a',
      employeeNumber: 'E1042',
    });
    expect(user.provenance).toMatchObject({ username: 0, email: 1, active: 5, department: 9 });
  });

  it('falls back to userName for email only when it looks like an address, never a guest UPN', () => {
    const noEmails = { userName: 'AdeleV@contoso.onmicrosoft.com', active: false };
    expect(map('entra', { kind: 'scim', resource: noEmails }).fields).toMatchObject({ email: 'AdeleV@contoso.onmicrosoft.com', active: false });
    const guest = { userName: 'ada_example.com#EXT#@contoso.onmicrosoft.com' };
    expect(map('entra', { kind: 'scim', resource: guest }).fields.email).toBeNull();
    expect(map('okta', { kind: 'scim', resource: { userName: 'ada' } }).fields.email).toBeNull();
  });

  it('prefers the work email, then the primary one', () => {
    const emails = [
      { value: 'home@example.com', type: 'home', primary: true },
      { value: 'work@example.com', type: 'work' },
    ];
    expect(map('jumpcloud', { kind: 'scim', resource: { userName: 'u', emails } }).fields.email).toBe('work@example.com');
    expect(map('google', { kind: 'scim', resource: { userName: 'u', emails: [emails[0]] } }).fields.email).toBe('home@example.com');
  });

  it('maps a OneLogin user, building the display name from name parts and defaulting active to true', () => {
    const user = map('onelogin', { kind: 'scim', resource: ONELOGIN_USER });
    expect(user.fields).toMatchObject({
      username: 'jdoe',
      email: 'jane.doe@example.com',
      displayName: 'Jane Doe',
      firstName: 'Jane',
      lastName: 'Doe',
      active: true,
      title: 'Engineer',
      department: 'R&D',
    });
    expect(user.provenance).toMatchObject({ displayName: 2, active: 'default' });
  });

  it('maps the same SCIM user alike in every SCIM preset', () => {
    const expected = map('generic', { kind: 'scim', resource: ENTRA_USER });
    for (const preset of ['okta', 'onelogin', 'miniorange', 'jumpcloud', 'google'] as const) {
      expect(map(preset, { kind: 'scim', resource: ENTRA_USER })).toEqual(expected);
    }
  });

  it('maps an OpenLDAP inetOrgPerson entry', () => {
    expect(map('ldap', { kind: 'ldap', entry: LDAP_ENTRY }).fields).toEqual({
      username: 'ghopper',
      email: 'grace.hopper@example.com',
      displayName: 'Grace Hopper',
      firstName: 'Grace',
      lastName: 'Hopper',
      phone: '+1 555 0142',
      title: 'Rear Admiral',
      manager: 'uid=cnimitz,ou=people,dc=example,dc=com',
      department: 'Navy-CS',
      employeeNumber: '1906',
    });
  });

  it('maps an Active Directory entry, reading active from userAccountControl', () => {
    const user = map('activedirectory', { kind: 'ldap', entry: AD_ENTRY });
    expect(user.fields).toEqual({
      username: 'aturing',
      email: 'alan.turing@corp.example',
      displayName: 'Alan Turing',
      firstName: 'Alan',
      lastName: 'Turing',
      phone: '+44 1908 640404',
      title: 'Cryptanalyst',
      manager: 'CN=Dilly Knox,OU=Staff,DC=corp,DC=example',
      active: false,
      department: 'Hut 8',
      employeeNumber: '1912',
    });
    expect(map('activedirectory', { kind: 'ldap', entry: { ...AD_ENTRY, userAccountControl: '66048' } }).fields.active).toBe(true);
  });

  it('keeps the previous active state when userAccountControl cannot be read', () => {
    const { userAccountControl: _unreadable, ...entry } = AD_ENTRY;
    const previous: MappedValues = { fields: { username: 'aturing', active: false }, custom: {} };
    const user = map('activedirectory', { kind: 'ldap', entry }, previous);
    expect(user.fields.active).toBe(false);
    expect(user.provenance.active).toBe('kept');
  });

  it('returns a fresh mapping each time', () => {
    const first = defaultMapping('okta');
    first.rules.pop();
    expect(defaultMapping('okta').rules).toHaveLength(12);
  });
});
