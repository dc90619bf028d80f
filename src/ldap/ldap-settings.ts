// An LDAP connector's directory server: where it is, how Roster binds to it, and where its users are.
// Kept in the connector's settings (`ldap`); the bind password is write-only: no answer, log, audit
// record or configuration backup ever contains it.
import { FilterParser } from 'ldapts';
import { DomainError, FieldProblem } from '../common/domain-error';

export interface LdapSettings {
  /** `ldap://host[:port]` or `ldaps://host[:port]`. */
  url: string;
  bindDn: string;
  bindPassword: string;
  /** Where users are searched (subtree). */
  baseDn: string;
  /** Which entries are users. */
  userFilter: string;
  /** The attribute an admin types a username into (the test search): `uid`, or `sAMAccountName` on AD. */
  usernameAttribute: string;
  /** The attribute that identifies an entry for good: `entryUUID`, or `objectGUID` on AD. */
  idAttribute: string;
  timeoutSeconds: number;
  /** Refuse a server certificate the machine does not trust (ldaps://). */
  tlsVerify: boolean;
  /** Whether the sync also pulls groups (with nested groups' members flattened). */
  syncGroups: boolean;
  /** Where groups are searched (subtree); baseDn when not set. */
  groupBaseDn?: string;
  groupFilter: string;
  /** The attribute naming a group (its directory group's name, through the group rules). */
  groupNameAttribute: string;
  /** The attribute listing a group's members by DN: `member`, or `uniqueMember` for groupOfUniqueNames. */
  groupMemberAttribute: string;
  /** A full sync every so many minutes; 0: only on demand. */
  syncIntervalMinutes: number;
}

/** What an answer shows of the settings: everything but the password, and whether one is set. */
export type LdapSettingsView = Omit<LdapSettings, 'bindPassword'> & { bindPasswordSet: boolean };

export const LDAP_DEFAULTS = {
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
} as const;

const KEYS = new Set([
  'url',
  'bindDn',
  'bindPassword',
  'baseDn',
  'userFilter',
  'usernameAttribute',
  'idAttribute',
  'timeoutSeconds',
  'tlsVerify',
  'syncGroups',
  'groupBaseDn',
  'groupFilter',
  'groupNameAttribute',
  'groupMemberAttribute',
  'syncIntervalMinutes',
]);
const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The settings, checked and completed with defaults; a 400 naming each problem otherwise. Without a
 * `bindPassword`, the one already stored (`storedPassword`) stays; with neither, the settings are
 * refused, except where `passwordOptional` (a configuration backup, which never carries one).
 */
export function checkedLdapSettings(input: unknown, storedPassword?: string, passwordOptional = false): LdapSettings {
  if (!isObject(input)) throw DomainError.invalid('The LDAP settings must be a JSON object');
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, problems: [message] });
  for (const key of Object.keys(input)) if (!KEYS.has(key)) problem(key, 'is not an LDAP setting');

  const text = (key: string, required: boolean): string | undefined => {
    const value = input[key];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || !value.trim()) problem(key, 'must be a non-empty string');
    else if (value.length > 1000) problem(key, 'must be at most 1,000 characters');
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const url = text('url', true);
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['ldap:', 'ldaps:'].includes(parsed.protocol) || !parsed.hostname || (parsed.pathname !== '' && parsed.pathname !== '/')) {
      problem('url', 'must be ldap://host[:port] or ldaps://host[:port]');
    }
  }
  const bindDn = text('bindDn', true);
  const baseDn = text('baseDn', true);
  const given = input.bindPassword;
  if (given !== undefined && (typeof given !== 'string' || given.length === 0 || given.length > 1000)) problem('bindPassword', 'must be a non-empty string');
  const bindPassword = typeof given === 'string' ? given : storedPassword;
  if (bindPassword === undefined && !passwordOptional) problem('bindPassword', 'is required (it is never shown again once set)');
  const filter = (key: 'userFilter' | 'groupFilter') => {
    const value = text(key, false) ?? LDAP_DEFAULTS[key];
    try {
      FilterParser.parseString(value);
    } catch (error) {
      problem(key, `is not an LDAP filter (RFC 4515): ${(error as Error).message}`);
    }
    return value;
  };
  const userFilter = filter('userFilter');
  const groupFilter = filter('groupFilter');
  const groupBaseDn = text('groupBaseDn', false);
  const attribute = (key: 'usernameAttribute' | 'idAttribute' | 'groupNameAttribute' | 'groupMemberAttribute') => {
    const value = text(key, false) ?? LDAP_DEFAULTS[key];
    if (!ATTRIBUTE.test(value)) problem(key, 'must be an attribute name (a letter then letters, digits or hyphens) or an OID');
    return value;
  };
  const usernameAttribute = attribute('usernameAttribute');
  const idAttribute = attribute('idAttribute');
  const groupNameAttribute = attribute('groupNameAttribute');
  const groupMemberAttribute = attribute('groupMemberAttribute');
  const syncIntervalMinutes = input.syncIntervalMinutes ?? LDAP_DEFAULTS.syncIntervalMinutes;
  if (typeof syncIntervalMinutes !== 'number' || !Number.isInteger(syncIntervalMinutes) || syncIntervalMinutes < 0 || syncIntervalMinutes > 10080) {
    problem('syncIntervalMinutes', 'must be a whole number of minutes from 0 (on demand only) to 10,080 (a week)');
  }
  const syncGroups = input.syncGroups ?? LDAP_DEFAULTS.syncGroups;
  if (typeof syncGroups !== 'boolean') problem('syncGroups', 'must be true or false');
  const timeoutSeconds = input.timeoutSeconds ?? LDAP_DEFAULTS.timeoutSeconds;
  if (typeof timeoutSeconds !== 'number' || !Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 300) {
    problem('timeoutSeconds', 'must be a whole number of seconds from 1 to 300');
  }
  const tlsVerify = input.tlsVerify ?? LDAP_DEFAULTS.tlsVerify;
  if (typeof tlsVerify !== 'boolean') problem('tlsVerify', 'must be true or false');
  if (problems.length) throw DomainError.invalid('The LDAP settings are not valid', problems);
  return {
    url: url!,
    bindDn: bindDn!,
    bindPassword: bindPassword ?? '',
    baseDn: baseDn!,
    userFilter,
    usernameAttribute,
    idAttribute,
    timeoutSeconds: timeoutSeconds as number,
    tlsVerify: tlsVerify as boolean,
    syncGroups: syncGroups as boolean,
    ...(groupBaseDn ? { groupBaseDn } : {}),
    groupFilter,
    groupNameAttribute,
    groupMemberAttribute,
    syncIntervalMinutes: syncIntervalMinutes as number,
  };
}

export function ldapSettingsView(settings: LdapSettings): LdapSettingsView {
  const { bindPassword, ...rest } = settings;
  return { ...rest, bindPasswordSet: bindPassword.length > 0 };
}
