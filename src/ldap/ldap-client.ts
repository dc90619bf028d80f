// One LDAP conversation with a connector's server: connect, bind, work, unbind. The server's failures
// come back as DomainErrors an admin can act on: unreachable or slow (502), the bind refused (502, with
// the server's reason), never a stack; a database error from the work passes through as it is.
import { Client, Entry, Filter, InvalidCredentialsError, ResultCodeError, SearchOptions } from 'ldapts';
import { DomainError } from '../common/domain-error';
import { pgError } from '../common/pg-errors';
import { LdapSettings } from './ldap-settings';

/** An entry as mappings read it: attribute name to value(s), binary values in base64, and its `dn`. */
export type LdapRecord = Record<string, string | string[]>;

export async function withLdap<T>(settings: LdapSettings, work: (client: Client) => Promise<T>): Promise<T> {
  const timeout = settings.timeoutSeconds * 1000;
  // ldapts speaks TLS whenever tlsOptions is given, so only ldaps:// gets them.
  const tls = settings.url.toLowerCase().startsWith('ldaps:') ? { tlsOptions: { rejectUnauthorized: settings.tlsVerify } } : {};
  const client = new Client({ url: settings.url, timeout, connectTimeout: timeout, ...tls });
  try {
    try {
      await client.bind(settings.bindDn, settings.bindPassword);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) throw DomainError.unavailable(`The LDAP server refused the bind as ${settings.bindDn}: invalid credentials`);
      throw ldapFailure(settings, error);
    }
    try {
      return await work(client);
    } catch (error) {
      // What the work itself wrote can fail too: only the conversation's failures are the server's.
      if (error instanceof DomainError || pgError(error)) throw error;
      throw ldapFailure(settings, error);
    }
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function ldapFailure(settings: LdapSettings, error: unknown): DomainError {
  if (error instanceof ResultCodeError) return DomainError.unavailable(`The LDAP server answered ${error.message} (result code ${error.code})`);
  const message = (error as Error)?.message ?? String(error);
  return DomainError.unavailable(`Could not talk to the LDAP server at ${settings.url}: ${message}`);
}

/**
 * Attributes holding passwords or their hashes, which a bind account may well be allowed to read: never
 * kept, shown or mapped (lower-case, options such as `;binary` aside).
 */
const SECRET_ATTRIBUTES = new Set([
  'userpassword',
  'authpassword',
  'unicodepwd',
  'dbcspwd',
  'ntpwdhistory',
  'lmpwdhistory',
  'supplementalcredentials',
  'sambantpassword',
  'sambalmpassword',
  'sambapasswordhistory',
  'pwdhistory',
  'krbprincipalkey',
]);

export function isSecretAttribute(name: string): boolean {
  return SECRET_ATTRIBUTES.has(name.toLowerCase().split(';')[0]);
}

export function toRecord(entry: Entry): LdapRecord {
  const record: LdapRecord = { dn: entry.dn };
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'dn' || isSecretAttribute(name)) continue;
    const values = (Array.isArray(value) ? value : [value]).map((v) => (Buffer.isBuffer(v) ? v.toString('base64') : String(v)));
    record[name] = values.length === 1 ? values[0] : values;
  }
  return record;
}

/** AD's objectGUID is 16 bytes, to be read as such; entryUUID is text. */
function binaryIds(settings: LdapSettings): string[] {
  return settings.idAttribute.toLowerCase() === 'objectguid' ? [settings.idAttribute] : [];
}

/** A user search under the settings: the whole subtree, every user attribute and the id attribute (AD's objectGUID as bytes). */
export function userSearch(settings: LdapSettings, filter: string | Filter, paged: boolean): SearchOptions {
  return {
    scope: 'sub',
    filter,
    attributes: ['*', settings.idAttribute],
    explicitBufferAttributes: binaryIds(settings),
    ...(paged ? { paged: { pageSize: 500 } } : {}),
  };
}

/** A group search under the settings: its name, members and id. */
export function groupSearch(settings: LdapSettings): SearchOptions {
  return {
    scope: 'sub',
    filter: settings.groupFilter,
    attributes: [settings.groupNameAttribute, settings.groupMemberAttribute, settings.idAttribute],
    explicitBufferAttributes: binaryIds(settings),
    paged: { pageSize: 500 },
  };
}

/** Every value of an attribute of a record, whatever the case of its name. */
export function values(record: LdapRecord, name: string): string[] {
  const value = Object.entries(record).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** An attribute of a record (its first value), whatever the case of its name. */
export function attribute(record: LdapRecord, name: string): string | undefined {
  return values(record, name)[0];
}

/** A DN compared as servers write it in member lists: case and spaces around separators aside. */
export function normaliseDn(dn: string): string {
  return dn.toLowerCase().replace(/\s*([,=+])\s*/g, '$1');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The record id an entry's id attribute gives: a UUID (entryUUID), or 16 bytes in base64 (objectGUID). */
export function recordId(value: string | undefined): string | null {
  if (!value) return null;
  if (UUID.test(value)) return value.toLowerCase();
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== value) return null;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
