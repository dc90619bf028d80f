// Membership grants with provenance: a user is in a directory group while any grant for it remains,
// and every grant records its source. Decisions: a source's identity is its kind, connector and
// reference (IdP group name, LDAP group, default rule), compared case-insensitively like group names;
// a connector owns every non-admin grant carrying its id; a group-derived grant with an empty reference
// was recorded before provenance existed (the memberships table defaults source_ref to '') and is
// "unknown provenance": its connector cannot say which IdP group gave it.
import { nameKey } from './matchers';

export type DefaultRule = 'newUsers' | 'allUsers';

export type Source =
  | { kind: 'connector'; connectorId: string; idpGroup: string }
  | { kind: 'default'; connectorId: string; rule: DefaultRule }
  | { kind: 'ldap'; connectorId: string; ldapGroup: string }
  | { kind: 'admin' };

export interface Grant {
  userId: string;
  /** The directory group's name. */
  group: string;
  source: Source;
}

/** A group the user is in at the IdP (or LDAP), as the connector received it. */
export interface IdpGroup {
  displayName: string;
  externalId?: string;
}

/** The kind of grant an IdP-group rule produces: `connector` for SCIM connectors, `ldap` for LDAP ones. */
export type GroupSourceKind = 'connector' | 'ldap';

function sourceKey(source: Source): string {
  switch (source.kind) {
    case 'connector':
      return `connector\u0000${source.connectorId}\u0000${nameKey(source.idpGroup)}`;
    case 'ldap':
      return `ldap\u0000${source.connectorId}\u0000${nameKey(source.ldapGroup)}`;
    case 'default':
      return `default\u0000${source.connectorId}\u0000${source.rule}`;
    case 'admin':
      return 'admin';
  }
}

/** Identifies a grant: same user, same group (case-insensitively), same source. */
export function grantKey(grant: Grant): string {
  return `${grant.userId}\u0000${nameKey(grant.group)}\u0000${sourceKey(grant.source)}`;
}

export function groupSource(kind: GroupSourceKind, connectorId: string, groupName: string): Source {
  return kind === 'ldap' ? { kind, connectorId, ldapGroup: groupName } : { kind, connectorId, idpGroup: groupName };
}

/** The IdP or LDAP group a group-derived source names; undefined for default and admin sources. */
export function sourceGroupName(source: Source): string | undefined {
  if (source.kind === 'connector') return source.idpGroup;
  if (source.kind === 'ldap') return source.ldapGroup;
  return undefined;
}

export function isOwnedBy(source: Source, connectorId: string): boolean {
  return source.kind !== 'admin' && source.connectorId === connectorId;
}

export function hasUnknownProvenance(source: Source): boolean {
  return sourceGroupName(source) === '';
}

/** Distinct group names (first spelling wins, case-insensitively), in order of first appearance. */
export function distinctGroups(groups: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const group of groups) if (!seen.has(nameKey(group))) seen.set(nameKey(group), group);
  return [...seen.values()];
}
