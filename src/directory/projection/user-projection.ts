// The directory side of a SCIM user write, as CTEs that run in the same statement as the write
// itself: what the connector's mapping made of the resource lands in `users`, linked to the record
// through `user_sources`, atomically with the SCIM view and the audit record. Decisions:
// - A record already linked updates its directory user (a renamed userName renames it).
// - A new record links by username by default: an existing directory user with the same username
//   (case-insensitively) is the same person, fed now by one more connector. Linking by `email` or
//   `externalId` (an admin's explicit choice: an email is only as trustworthy as the IdP that sets it)
//   links to the one directory user with that value, and to none when several have it. With `never`,
//   or when no user matches, a username clash is a uniqueness error (409 to the IdP), never a takeover.
// - Fields the mapping left out (a `keep` rule with nothing to say) are not written; `null` clears.
// - `active` is the lifecycle's (src/group-sync/lifecycle.service.ts): a new directory user takes the
//   mapped value, later writes leave it to the lifecycle rules, which also handle a record a mapping
//   rule drops; a skipped record leaves the directory alone. A new record linking by username to an
//   existing user can enable it (unless another connector holds it disabled), never disable it.
// - A link whose directory user a lifecycle rule deleted or anonymised is frozen until the reason ends.
import { evaluate, sourceRecord, type CompiledMapping, type DirectoryField, type Evaluation, type MappedUser, type RecordKind } from '@roster/mapping-core';
import type { EntityManager } from 'typeorm';
import type { IdentityLinking } from '../../connectors/connector-settings';

export interface UserProjection {
  directoryId: string;
  connectorId: string;
  linking: IdentityLinking;
  evaluation: Evaluation;
  /**
   * The record is created by the same statement: it has no link yet, so none is looked up, and
   * (linking by username or never) no existing directory user is updated by id.
   */
  newRecord?: boolean;
}

export interface Ctes {
  /** `name AS (...)` clauses, comma-separated, to follow the write's own CTEs. */
  sql: string;
  params: unknown[];
}

const COLUMN: Record<DirectoryField, string> = {
  username: 'user_name',
  email: 'email',
  displayName: 'display_name',
  firstName: 'given_name',
  lastName: 'family_name',
  active: 'active',
  externalId: 'external_id',
  phone: 'phone',
  title: 'title',
  department: 'department',
  manager: 'manager',
  employeeNumber: 'employee_number',
};

/**
 * `active` of an existing directory user a new record links to by username: an inactive record leaves
 * it to the lifecycle (the connector's onDeactivate, which runs next in the same transaction, may keep
 * the user); an active one enables the user unless another connector's link holds it disabled (that
 * connector's reactivation will).
 */
const LINKED_ACTIVE = `active = CASE WHEN EXCLUDED.active AND NOT users.active
    THEN NOT EXISTS (SELECT 1 FROM user_sources s WHERE s.user_id = users.id AND s.lifecycle_action = 'disable')
    ELSE users.active END`;

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly first: number) {}
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.first + this.values.length - 1}`;
  }
}

/**
 * CTEs projecting the record `sourceRefSql` (an SQL expression giving the record's id, e.g. a
 * preceding CTE's column) with parameters numbered from `firstParam`; undefined when nothing is to
 * be written (the mapping skipped or dropped the record). `guardSql` must hold for anything to be written: a
 * conditional SCIM write that lost a race must not project the state it failed to write.
 */
export function projectUserCtes(p: UserProjection, sourceRefSql: string, firstParam: number, guardSql = 'true'): Ctes | undefined {
  const evaluation = p.evaluation;
  // Dropped by a rule: the lifecycle decides what happens to the directory user; skipped: left alone.
  if (evaluation.outcome !== 'mapped') return undefined;
  const params = new Params(firstParam);
  const connector = params.add(p.connectorId);
  const user = evaluation.user;
  const insertColumns = ['directory_id', ...fieldEntries(user).map(([field]) => COLUMN[field]), 'attributes'];
  const directory = params.add(p.directoryId);
  const insertValues = [`${directory}::uuid`, ...fieldEntries(user).map(([, value]) => params.add(value)), `${params.add(customSet(user))}::jsonb`];
  const conflict =
    p.linking === 'username'
      ? `ON CONFLICT (directory_id, lower(user_name)) DO UPDATE SET ${[
          ...assignments(user, params, 'users.attributes', 'EXCLUDED', ['active']),
          ...(user.fields.active !== undefined ? [LINKED_ACTIVE] : []),
        ].join(', ')}`
      : '';
  // Linking by email or externalId: the one directory user with the mapped value, if exactly one.
  const matchColumn = p.linking === 'email' ? 'lower(email)' : p.linking === 'externalId' ? 'external_id' : undefined;
  const matchValue = p.linking === 'email' ? user.fields.email : p.linking === 'externalId' ? user.fields.externalId : undefined;
  const matches = matchColumn !== undefined && typeof matchValue === 'string';
  const source = (projected: string) => `dir_source AS (INSERT INTO user_sources (connector_id, source_ref, user_id, provenance)
         SELECT ${connector}::uuid, ${sourceRefSql}, id, ${params.add(user.provenance)}::jsonb FROM (${projected}) projected
         ON CONFLICT (connector_id, source_ref) DO UPDATE SET user_id = EXCLUDED.user_id, provenance = EXCLUDED.provenance, updated_at = clock_timestamp())`;
  if (p.newRecord && !matches) {
    // A new record links by username (the conflict clause) or not at all: one insert, one link.
    return {
      sql: [
        `dir_inserted AS (INSERT INTO users (${insertColumns.join(', ')}) SELECT ${insertValues.join(', ')} WHERE ${guardSql} ${conflict} RETURNING id)`,
        source('SELECT id FROM dir_inserted'),
      ].join(',\n'),
      params: params.values,
    };
  }
  // A link whose directory user a lifecycle rule deleted or anonymised is frozen: not written again
  // until the reason ends (LifecycleService re-projects then).
  const link = p.newRecord
    ? 'dir_link AS (SELECT NULL::uuid AS user_id, false AS frozen WHERE false)'
    : `dir_link AS (SELECT user_id, coalesce(lifecycle_action IN ('delete', 'anonymise'), false) AS frozen
    FROM user_sources WHERE connector_id = ${connector}::uuid AND source_ref = ${sourceRefSql})`;
  // `active` belongs to the lifecycle (LifecycleService) once the user exists: only a new user takes the mapped value.
  const sets = assignments(user, params, 'u.attributes', undefined, ['active']);
  const match = matches
    ? `dir_match AS (SELECT min(id::text)::uuid AS id FROM users WHERE directory_id = ${directory}::uuid
           AND ${matchColumn} = ${p.linking === 'email' ? `lower(${params.add(matchValue)})` : params.add(matchValue)} HAVING count(*) = 1)`
    : 'dir_match AS (SELECT NULL::uuid AS id WHERE false)';
  return {
    sql: [
      link,
      match,
      `dir_updated AS (UPDATE users u SET ${sets.join(', ')}
         -- One id as a scalar (dir_link and dir_match have at most one row): a primary-key probe. An OR of
         -- IN-subqueries here made Postgres scan every directory user on every write.
         WHERE u.id = coalesce((SELECT user_id FROM dir_link WHERE NOT frozen),
                               (SELECT id FROM dir_match WHERE NOT EXISTS (SELECT 1 FROM dir_link WHERE user_id IS NOT NULL OR frozen)))
           AND ${guardSql} RETURNING u.id)`,
      `dir_inserted AS (INSERT INTO users (${insertColumns.join(', ')}) SELECT ${insertValues.join(', ')}
         WHERE NOT EXISTS (SELECT 1 FROM dir_link WHERE user_id IS NOT NULL OR frozen) AND NOT EXISTS (SELECT 1 FROM dir_match) AND ${guardSql} ${conflict} RETURNING id)`,
      source('SELECT id FROM dir_updated UNION ALL SELECT id FROM dir_inserted'),
    ].join(',\n'),
    params: params.values,
  };
}

/** Projects one record with `p.evaluation`, in a statement of its own (background jobs, lifecycle). */
export async function projectRecord(em: EntityManager, p: UserProjection, sourceRef: string): Promise<void> {
  const ctes = projectUserCtes(p, '$1::text', 2);
  if (ctes) await em.query(`WITH ${ctes.sql} SELECT 1`, [sourceRef, ...ctes.params]);
}

/**
 * Projects a record as stored (scim_users: a SCIM resource, or an LDAP connector's entry), with
 * `compiled`: a user a lifecycle rule had deleted or anonymised comes back.
 */
export async function reprojectStored(em: EntityManager, p: Omit<UserProjection, 'evaluation'>, compiled: CompiledMapping, sourceRef: string, kind: RecordKind = 'scim'): Promise<void> {
  const [row] = await em.query(`SELECT data FROM scim_users WHERE connector_id = $1 AND id::text = $2`, [p.connectorId, sourceRef]);
  if (row) await projectRecord(em, { ...p, evaluation: evaluate(compiled, sourceRecord(kind, row.data)) }, sourceRef);
}

function fieldEntries(user: MappedUser): [DirectoryField, unknown][] {
  return (Object.entries(user.fields) as [DirectoryField, unknown][]).filter(([field, value]) => value !== undefined && COLUMN[field] !== undefined);
}

function customSet(user: MappedUser): Record<string, string> {
  return Object.fromEntries(Object.entries(user.custom).filter(([, v]) => v !== null)) as Record<string, string>;
}

/** `column = value` for each written field, custom attributes merged (null removes a key). */
function assignments(user: MappedUser, params: Params, attributes: string, excluded?: string, skip: DirectoryField[] = []): string[] {
  const sets = fieldEntries(user)
    .filter(([field]) => !skip.includes(field))
    .map(([field, value]) => `${COLUMN[field]} = ${excluded ? `${excluded}.${COLUMN[field]}` : params.add(value)}`);
  const cleared = Object.entries(user.custom)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  sets.push(`attributes = (${attributes} || ${params.add(customSet(user))}::jsonb) - ${params.add(cleared)}::text[]`);
  sets.push('updated_at = clock_timestamp()');
  return sets;
}
