// Default mappings per identity provider, what a new connector starts from. Decisions:
// - Every SCIM preset reads the same standard attributes, because Okta, Entra, OneLogin, miniOrange,
//   JumpCloud and Google all send core + enterprise User resources; they are separate presets so that
//   one IdP's defaults can change without touching the others. Entra sends the UPN as userName, which
//   is the username it matches users on, so its username comes from userName like everyone else's.
// - email: the work email, else the primary (or first) email, else userName when it looks like an
//   address. The `#` exclusion keeps Entra guest UPNs (`ada_example.com#EXT#@tenant.onmicrosoft.com`),
//   which are not mailboxes, out of email.
// - active: a SCIM user pushed without `active` is active (`default` "true"); in Active Directory it is
//   derived from userAccountControl and kept as it was when that attribute is unreadable.
// - manager: the IdP's id for the manager (SCIM) or the manager's DN (LDAP); resolving it to a
//   directory user is the caller's job.
// - Every other field is cleared when the source no longer has it: SCIM PUT replaces the resource and
//   an LDAP sync reads whole entries, so an absent attribute means "no longer set".
import { ENTERPRISE_USER_SCHEMA } from '@roster/scim-core';
import type { FieldRule, Mapping, Source } from './mapping';

export const MAPPING_PRESETS = ['okta', 'entra', 'onelogin', 'miniorange', 'jumpcloud', 'google', 'generic', 'ldap', 'activedirectory'] as const;
export type MappingPreset = (typeof MAPPING_PRESETS)[number];

/** An address with no `#` before the `@` (see above) and a dot in the domain. */
const EMAIL_LIKE = '^[^@\\s#]+@[^@\\s]+\\.[^@\\s]+$';

const enterprise = (attr: string): Source => ({ scim: `${ENTERPRISE_USER_SCHEMA}:${attr}` });

function scimMapping(): Mapping {
  return {
    kind: 'scim',
    rules: [
      { target: 'username', source: { scim: 'userName' } },
      {
        target: 'email',
        source: { firstOf: [{ scim: 'emails[type eq "work"].value' }, { scim: 'emails.value' }, { scim: 'userName', matches: EMAIL_LIKE }] },
      },
      {
        target: 'displayName',
        source: { firstOf: [{ scim: 'displayName' }, { scim: 'name.formatted' }, { template: '{name.givenName} {name.familyName}' }] },
      },
      { target: 'firstName', source: { scim: 'name.givenName' } },
      { target: 'lastName', source: { scim: 'name.familyName' } },
      { target: 'active', source: { scim: 'active' }, onEmpty: 'default', default: 'true' },
      { target: 'externalId', source: { scim: 'externalId' } },
      { target: 'phone', source: { firstOf: [{ scim: 'phoneNumbers[type eq "work"].value' }, { scim: 'phoneNumbers.value' }] } },
      { target: 'title', source: { scim: 'title' } },
      { target: 'department', source: enterprise('department') },
      { target: 'manager', source: enterprise('manager.value') },
      { target: 'employeeNumber', source: enterprise('employeeNumber') },
    ],
  };
}

/** The rules LDAP directories share: inetOrgPerson names, which Active Directory also uses. */
function ldapRules(): FieldRule[] {
  return [
    { target: 'email', source: { ldap: 'mail' } },
    { target: 'displayName', source: { firstOf: [{ ldap: 'displayName' }, { ldap: 'cn' }] } },
    { target: 'firstName', source: { ldap: 'givenName' } },
    { target: 'lastName', source: { ldap: 'sn' } },
    { target: 'phone', source: { ldap: 'telephoneNumber' } },
    { target: 'title', source: { ldap: 'title' } },
    { target: 'manager', source: { ldap: 'manager' } },
  ];
}

function ldapMapping(): Mapping {
  return {
    kind: 'ldap',
    rules: [
      { target: 'username', source: { ldap: 'uid' } },
      ...ldapRules(),
      // inetOrgPerson has departmentNumber; some schemas add department.
      { target: 'department', source: { firstOf: [{ ldap: 'department' }, { ldap: 'departmentNumber' }] } },
      { target: 'employeeNumber', source: { ldap: 'employeeNumber' } },
    ],
  };
}

function activeDirectoryMapping(): Mapping {
  return {
    kind: 'ldap',
    rules: [
      { target: 'username', source: { ldap: 'sAMAccountName' } },
      ...ldapRules(),
      { target: 'active', source: { ldap: 'userAccountControl' }, transform: ['adAccountActive'], onEmpty: 'keep' },
      { target: 'department', source: { ldap: 'department' } },
      { target: 'employeeNumber', source: { firstOf: [{ ldap: 'employeeNumber' }, { ldap: 'employeeID' }] } },
    ],
  };
}

/** A fresh copy of the preset's mapping (callers may edit it). */
export function defaultMapping(preset: MappingPreset): Mapping {
  switch (preset) {
    case 'ldap':
      return ldapMapping();
    case 'activedirectory':
      return activeDirectoryMapping();
    default:
      return scimMapping();
  }
}
