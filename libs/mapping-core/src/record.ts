// The records a mapping reads: a SCIM User resource (RFC 7643 JSON, as stored after scim-core's
// normaliseResource) or an LDAP entry (attribute name to one value or several; names are looked up
// case-insensitively, as LDAP attribute descriptions are case-insensitive). A connector produces one
// kind only, so a mapping declares its kind and evaluation refuses a record of the other kind.

export type RecordKind = 'scim' | 'ldap';

export const RECORD_KINDS: readonly RecordKind[] = ['scim', 'ldap'];

export type LdapEntry = Record<string, string | string[]>;

export type SourceRecord = { kind: 'scim'; resource: Record<string, unknown> } | { kind: 'ldap'; entry: LdapEntry };

/** A stored record (a SCIM resource, or an LDAP entry as its connector keeps it) as a mapping reads it. */
export function sourceRecord(kind: RecordKind, data: Record<string, unknown>): SourceRecord {
  return kind === 'ldap' ? { kind: 'ldap', entry: data as LdapEntry } : { kind: 'scim', resource: data };
}
