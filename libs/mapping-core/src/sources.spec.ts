import { ENTERPRISE_USER_SCHEMA } from '@roster/scim-core';
import type { Source } from './mapping';
import type { LdapEntry } from './record';
import { compileSource } from './sources';

const resource = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
  userName: 'ada@example.com',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [
    { value: 'ada@home.example', type: 'home' },
    { value: 'ada2@example.com', type: 'work' },
    { value: 'ada.lovelace@example.com', type: 'work', primary: true },
  ],
  phoneNumbers: [{ value: '', type: 'work' }, { value: '+44 20 7946 0000', type: 'mobile' }],
  active: false,
  [ENTERPRISE_USER_SCHEMA]: { department: 'Analytics', employeeNumber: '1815', manager: { value: 'mgr-1' } },
  'urn:acme:scim:1.0:User': { costCenter: 'CC-42', badges: [{ value: 'B-1' }] },
};

function scim(source: Source, record: Record<string, unknown> = resource): string | undefined {
  return compileSource(source, 'scim').read({ kind: 'scim', resource: record });
}

function ldap(source: Source, entry: LdapEntry): string | undefined {
  return compileSource(source, 'ldap').read({ kind: 'ldap', entry });
}

describe('scim sources', () => {
  it('reads plain attributes, sub-attributes and Booleans as text', () => {
    expect(scim({ scim: 'userName' })).toBe('ada@example.com');
    expect(scim({ scim: 'name.familyName' })).toBe('Lovelace');
    expect(scim({ scim: 'active' })).toBe('false');
  });

  it('looks attribute names and extension URNs up case-insensitively', () => {
    expect(scim({ scim: 'USERNAME' })).toBe('ada@example.com');
    const shouted = { UserName: 'x', 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { Department: 'Ops' } };
    expect(scim({ scim: 'userName' }, shouted)).toBe('x');
    expect(scim({ scim: `${ENTERPRISE_USER_SCHEMA}:department` }, shouted)).toBe('Ops');
  });

  it('reads enterprise attributes by URN or by bare name', () => {
    expect(scim({ scim: `${ENTERPRISE_USER_SCHEMA}:department` })).toBe('Analytics');
    expect(scim({ scim: 'employeeNumber' })).toBe('1815');
    expect(scim({ scim: `${ENTERPRISE_USER_SCHEMA}:manager.value` })).toBe('mgr-1');
  });

  it('applies value filters, preferring the primary element among matches', () => {
    expect(scim({ scim: 'emails[type eq "work"].value' })).toBe('ada.lovelace@example.com');
    expect(scim({ scim: 'emails[type eq "home"].value' })).toBe('ada@home.example');
    expect(scim({ scim: 'emails[type eq "other"].value' })).toBeUndefined();
  });

  it('gives the primary value of a multi-valued attribute, else the first with a value', () => {
    expect(scim({ scim: 'emails.value' })).toBe('ada.lovelace@example.com');
    expect(scim({ scim: 'emails' })).toBe('ada.lovelace@example.com');
    expect(scim({ scim: 'emails[type eq "home"]' })).toBe('ada@home.example');
    const noPrimary = { emails: [{ value: 'first@example.com' }, { value: 'second@example.com' }] };
    expect(scim({ scim: 'emails.value' }, noPrimary)).toBe('first@example.com');
    expect(scim({ scim: 'phoneNumbers.value' })).toBe('+44 20 7946 0000');
  });

  it('reads a single object sent where a list belongs (OneLogin emails)', () => {
    expect(scim({ scim: 'emails[type eq "work"].value' }, { emails: { value: 'one@example.com', type: 'work' } })).toBe('one@example.com');
  });

  it('reads attributes of other extensions by their URN', () => {
    expect(scim({ scim: 'urn:acme:scim:1.0:User:costCenter' })).toBe('CC-42');
    expect(scim({ scim: 'urn:acme:scim:1.0:User:badges' })).toBe('B-1');
    expect(scim({ scim: 'urn:acme:scim:1.0:User:missing' })).toBeUndefined();
  });

  it('treats missing, null, empty and blank values as no value', () => {
    expect(scim({ scim: 'title' })).toBeUndefined();
    expect(scim({ scim: 'title' }, { title: null })).toBeUndefined();
    expect(scim({ scim: 'title' }, { title: '   ' })).toBeUndefined();
  });
});

describe('ldap sources', () => {
  const entry: LdapEntry = { Mail: 'grace@example.com', cn: ['', 'Grace Hopper', 'G. Hopper'], sn: 'Hopper' };

  it('reads attributes case-insensitively, taking the first non-empty of several values', () => {
    expect(ldap({ ldap: 'mail' }, entry)).toBe('grace@example.com');
    expect(ldap({ ldap: 'CN' }, entry)).toBe('Grace Hopper');
    expect(ldap({ ldap: 'title' }, entry)).toBeUndefined();
  });

  it('fills templates with LDAP attributes', () => {
    expect(ldap({ template: '{cn} <{mail}>' }, entry)).toBe('Grace Hopper <grace@example.com>');
  });
});

describe('constant, template, firstOf and matches', () => {
  it('yields a constant whatever the record', () => {
    expect(scim({ constant: 'staff' }, {})).toBe('staff');
  });

  it('fills a template, with filters inside placeholders and doubled braces as literals', () => {
    expect(scim({ template: '{name.givenName}.{name.familyName}@corp.example' })).toBe('Ada.Lovelace@corp.example');
    expect(scim({ template: '{{{emails[type eq "home"].value}}}' })).toBe('{ada@home.example}');
  });

  it('yields no value when any placeholder has none', () => {
    expect(scim({ template: '{name.givenName} {name.middleName}' })).toBeUndefined();
  });

  it('takes the first alternative with a value', () => {
    expect(scim({ firstOf: [{ scim: 'title' }, { scim: 'nickName' }, { scim: 'name.givenName' }, { constant: 'x' }] })).toBe('Ada');
    expect(scim({ firstOf: [{ scim: 'title' }, { scim: 'nickName' }] })).toBeUndefined();
  });

  it('keeps a value only when it matches the source pattern', () => {
    const emailLike = '^[^@]+@[^@]+$';
    expect(scim({ scim: 'userName', matches: emailLike })).toBe('ada@example.com');
    expect(scim({ scim: 'name.givenName', matches: emailLike })).toBeUndefined();
    expect(scim({ firstOf: [{ scim: 'name.givenName', matches: emailLike }, { constant: 'fallback' }] })).toBe('fallback');
  });
});
