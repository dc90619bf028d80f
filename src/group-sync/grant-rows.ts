// Membership rows <-> @roster/group-rules grants. One row per grant (memberships): source_kind,
// source_connector_id and source_ref say what granted it: a connector's IdP group (ref = the IdP
// group's displayName), a connector's default-groups rule (ref = newUsers | allUsers), an LDAP group,
// or an admin (no connector, empty ref).
import type { DefaultRule, Grant, Source } from '@roster/group-rules';
import type { EntityManager } from 'typeorm';

export type SourceKind = 'connector' | 'ldap' | 'default_rule' | 'admin';

export interface GrantRow {
  id: string;
  user_id: string;
  group_id: string;
  group_name: string;
  source_kind: SourceKind;
  source_connector_id: string | null;
  source_ref: string;
}

/** SQL selecting GrantRow columns for memberships `ms` joined to groups `g`. */
export const GRANT_COLUMNS = `ms.id::text AS id, ms.user_id, ms.group_id, g.display_name AS group_name, ms.source_kind, ms.source_connector_id, ms.source_ref`;
/** The tables GRANT_COLUMNS reads, with their aliases. */
export const GRANTS_FROM = 'memberships ms JOIN groups g ON g.id = ms.group_id';

export function toGrant(row: GrantRow): Grant {
  return { userId: row.user_id, group: row.group_name, source: toSource(row) };
}

function toSource(row: GrantRow): Source {
  const connectorId = row.source_connector_id ?? '';
  switch (row.source_kind) {
    case 'connector':
      return { kind: 'connector', connectorId, idpGroup: row.source_ref };
    case 'ldap':
      return { kind: 'ldap', connectorId, ldapGroup: row.source_ref };
    case 'default_rule':
      return { kind: 'default', connectorId, rule: row.source_ref as DefaultRule };
    case 'admin':
      return { kind: 'admin' };
  }
}

export function sourceColumns(source: Source): { kind: SourceKind; connectorId: string | null; ref: string } {
  switch (source.kind) {
    case 'connector':
      return { kind: 'connector', connectorId: source.connectorId, ref: source.idpGroup };
    case 'ldap':
      return { kind: 'ldap', connectorId: source.connectorId, ref: source.ldapGroup };
    case 'default':
      return { kind: 'default_rule', connectorId: source.connectorId, ref: source.rule };
    case 'admin':
      return { kind: 'admin', connectorId: null, ref: '' };
  }
}

/** Deletes membership rows (grants) by id. */
export async function deleteGrants(em: EntityManager, ids: string[]): Promise<void> {
  await em.query(`DELETE FROM memberships WHERE id = ANY($1::bigint[])`, [ids]);
}
