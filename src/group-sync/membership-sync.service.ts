// Directory memberships from a connector's IdP groups: after every write that can change what a user
// is granted (a group's members or name, a user created or reactivated, a settings change), the
// users concerned are evaluated with @roster/group-rules and the plan applied with set operations, in
// the caller's transaction. Decisions:
// - Only the users a write touches are evaluated: adding 1,000 members to a 100,000-member group
//   evaluates 1,000 users, whatever the group's size.
// - No lock is taken on the users evaluated: every grant belongs to one source (an IdP group, a
//   default rule), a connector revokes only its own, and writes changing one IdP group's members
//   already take turns on that group's row lock; rows are inserted with ON CONFLICT DO NOTHING. A
//   record whose lifecycle state changes is row-locked and read again first, so two writes never
//   apply one transition twice.
// - A user's IdP groups are the connector's SCIM groups it is a direct member of (IdPs push groups
//   flat; a member that is a group grants nothing to its members).
// - Requiring groups makes scope part of the evaluation: leaving every required group is a lifecycle
//   event (LifecycleService), as is coming back.
import { Injectable } from '@nestjs/common';
import { grantedGroups, inScope, planMemberships, type Grant, type GroupSettings, type IdpGroup, type MembershipPlan } from '@roster/group-rules';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { isUuid } from '../common/uuid';
import { deleteGrants, GRANT_COLUMNS, GRANTS_FROM, GrantRow, sourceColumns, toGrant } from './grant-rows';
import { LifecycleService } from './lifecycle.service';
import { Link, LINK_COLUMNS, Reason, RecordReason, SyncTarget } from './sync-target';

const LISTED = 100;

export interface SyncOptions {
  /** Records created by this request: default groups for new users apply, the brake does not count them. */
  newRecords?: ReadonlySet<string>;
  /** The reason each written record now carries itself (deactivated, dropped, or null); others keep theirs. */
  recordReasons?: ReadonlyMap<string, RecordReason | null>;
}

export interface SyncSummary {
  granted: number;
  revoked: number;
  groupsCreated: string[];
}

/** One record's change in a preview: memberships granted and revoked, and whether it leaves or returns to scope. */
export interface PlannedChange {
  sourceRef: string;
  userId: string;
  grant: { group: string; reason: string }[];
  revoke: { group: string; reason: string }[];
  scope?: 'leaves' | 'returns';
}

interface IdpGroupRow {
  ref: string;
  displayName: string;
  externalId: string | null;
}

/** The connector's SCIM groups records $2 (SCIM user ids) are direct members of. */
const IDP_GROUPS_SQL = `SELECT m.member_id::text AS ref, g.display_name AS "displayName", g.external_id AS "externalId"
  FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
  WHERE m.connector_id = $1 AND m.member_id = ANY($2::text[]::uuid[]) AND m.member_type = 'User'`;

const idpGroup = (r: IdpGroupRow): IdpGroup => ({ displayName: r.displayName, ...(r.externalId !== null ? { externalId: r.externalId } : {}) });

const NOTHING: SyncSummary = { granted: 0, revoked: 0, groupsCreated: [] };

@Injectable()
export class MembershipSync {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly audit: AuditService,
  ) {}

  /** Evaluates the records `sourceRefs` (SCIM user ids) of the connector and applies the result. */
  async sync(em: EntityManager, t: SyncTarget, sourceRefs: readonly string[], options: SyncOptions = {}): Promise<SyncSummary> {
    const { links, idpGroups, rowOf, grantsOf } = await this.state(em, t.connectorId, sourceRefs);
    if (links.length === 0) return NOTHING;
    const current: Link[] = [];
    const transitioned: string[] = [];
    for (const link of links) {
      const groups = idpGroups.get(link.sourceRef) ?? [];
      if (nextReason(link, groups, t.settings, options) === link.deprovisioned) {
        current.push(link);
        continue;
      }
      const locked = await this.lifecycle.link(em, t.connectorId, link.sourceRef);
      if (!locked) continue;
      const next = nextReason(locked, groups, t.settings, options);
      const after = await this.lifecycle.transition(em, t, locked, next, { isNew: options.newRecords?.has(link.sourceRef) ?? false });
      current.push(after);
      if (after.userId) transitioned.push(after.userId);
    }
    // A transition may have stripped memberships: those users' grants are read again.
    if (transitioned.length) {
      const again = await this.grants(em, transitioned);
      for (const id of transitioned) grantsOf.set(id, again.grantsOf.get(id) ?? []);
      for (const [grant, row] of again.rowOf) rowOf.set(grant, row);
    }

    const live = current.filter((l) => l.userId !== null);
    if (live.length === 0) return NOTHING;
    const grant: Grant[] = [];
    const revoke: Grant[] = [];
    for (const link of live) {
      const plan = this.plan(t, link, idpGroups, grantsOf, isDeprovisioned(link), options);
      grant.push(...plan.grant);
      revoke.push(...plan.revoke);
    }
    if (grant.length === 0 && revoke.length === 0) return NOTHING;

    const { ids, created } = await this.ensureGroups(em, t.directoryId, grant.map((g) => g.group));
    if (grant.length) {
      const cols = grant.map((g) => sourceColumns(g.source));
      await em.query(
        `INSERT INTO memberships (directory_id, group_id, user_id, source_kind, source_connector_id, source_ref)
         SELECT $1, g, u, k, c, r FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[]) AS x(g, u, k, c, r)
         ON CONFLICT DO NOTHING`,
        [t.directoryId, grant.map((g) => ids.get(g.group.toLowerCase())), grant.map((g) => g.userId), cols.map((c) => c.kind), cols.map((c) => c.connectorId), cols.map((c) => c.ref)],
      );
    }
    if (revoke.length) await deleteGrants(em, revoke.map((g) => rowOf.get(g)!.id));

    const describe = (g: Grant) => ({ userId: g.userId, group: g.group, source: g.source });
    await this.recordChange(em, t, {
      granted: grant.length,
      revoked: revoke.length,
      groupsCreated: created,
      grants: grant.slice(0, LISTED).map(describe),
      revokes: revoke.slice(0, LISTED).map(describe),
    });
    return { granted: grant.length, revoked: revoke.length, groupsCreated: created };
  }

  /**
   * A group's members changed and nothing else about it (Okta's and Entra's membership PATCHes):
   * joining can only add the grants this IdP group gives, the same ones for every member, so the
   * records that are members now receive them in one set statement, without evaluating each user.
   * Records that left are evaluated in full (`sync`), as is everyone when required groups make a
   * membership a question of scope.
   */
  async membersChanged(em: EntityManager, t: SyncTarget, group: { id: string } & IdpGroup, sourceRefs: readonly string[]): Promise<void> {
    const refs = recordIds(sourceRefs);
    if (refs.length === 0) return;
    if (t.settings.requiredGroups.length > 0) {
      await this.sync(em, t, refs);
      return;
    }
    const targets = grantedGroups(group, t.settings);
    // Which of the records are members now (after the write): index probes, whatever the group's size.
    const present: { ref: string }[] = await em.query(
      `SELECT member_id::text AS ref FROM scim_group_members WHERE group_id = $1 AND member_id = ANY($2::uuid[])`,
      [group.id, refs],
    );
    const members = present.map((p) => p.ref);
    const stillMembers = new Set(members);
    const gone = refs.filter((ref) => !stillMembers.has(ref));
    const { ids, created } = await this.ensureGroups(em, t.directoryId, members.length ? targets : []);
    // Deprovisioned users receive nothing new (see isDeprovisioned).
    const granted: unknown[] =
      targets.length && members.length
        ? await em.query(
            `INSERT INTO memberships (directory_id, group_id, user_id, source_kind, source_connector_id, source_ref)
             SELECT $1, t.id, s.user_id, 'connector', $2, $3
             FROM user_sources s CROSS JOIN unnest($5::uuid[]) AS t(id)
             WHERE s.connector_id = $2 AND s.source_ref = ANY($4::text[]) AND s.user_id IS NOT NULL
               AND NOT (s.deprovisioned IS NOT NULL AND s.lifecycle_action IN ('disable', 'anonymise', 'delete'))
             ON CONFLICT DO NOTHING
             RETURNING 1`,
            [t.directoryId, t.connectorId, group.displayName, members, targets.map((g) => ids.get(g.toLowerCase()))],
          )
        : [];
    // Records that left the group: each is evaluated in full, which revokes what the group granted
    // (except in never-remove groups) along with anything else no longer due.
    if (gone.length) await this.sync(em, t, gone);
    if (granted.length) await this.recordChange(em, t, { idpGroup: group.displayName, granted: granted.length, groupsCreated: created, groups: targets });
  }

  /** The audit record of the memberships one write changed. */
  private recordChange(em: EntityManager, t: SyncTarget, details: Record<string, unknown>): Promise<void> {
    return this.audit.record(
      {
        actor: t.actor,
        action: 'directory.memberships.changed',
        requestId: t.requestId,
        connectorId: t.connectorId,
        directoryId: t.directoryId,
        targetType: 'directory',
        targetId: t.directoryId,
        details,
      },
      em,
    );
  }

  /** What `sync` would do to these records under `t.settings`, with reasons; nothing is written. */
  async preview(em: EntityManager, t: SyncTarget, sourceRefs: readonly string[]): Promise<PlannedChange[]> {
    const { links, idpGroups, grantsOf } = await this.state(em, t.connectorId, sourceRefs);
    const changes: PlannedChange[] = [];
    for (const link of links) {
      const next = nextReason(link, idpGroups.get(link.sourceRef) ?? [], t.settings, {});
      const scope = next === 'outOfScope' && link.deprovisioned === null ? 'leaves' : link.deprovisioned === 'outOfScope' && next === null ? 'returns' : undefined;
      if (!link.userId) continue;
      const deprovisioned = scope === 'leaves' || (scope === undefined && isDeprovisioned(link));
      const plan = this.plan(t, link, idpGroups, grantsOf, deprovisioned, {});
      const outcome = (kind: 'grant' | 'revoke') => plan.explanations.filter((e) => e.outcome === kind).map((e) => ({ group: e.group, reason: e.reason }));
      const change: PlannedChange = { sourceRef: link.sourceRef, userId: link.userId, grant: outcome('grant'), revoke: outcome('revoke'), ...(scope ? { scope } : {}) };
      if (change.grant.length || change.revoke.length || scope) changes.push(change);
    }
    return changes;
  }

  private plan(t: SyncTarget, link: Link, idpGroups: Map<string, IdpGroup[]>, grantsOf: Map<string, Grant[]>, deprovisioned: boolean, options: SyncOptions): MembershipPlan {
    return planMemberships({
      connectorId: t.connectorId,
      settings: t.settings,
      user: { id: link.userId!, isNew: options.newRecords?.has(link.sourceRef) ?? false, deprovisioned },
      idpGroups: idpGroups.get(link.sourceRef) ?? [],
      currentGrants: grantsOf.get(link.userId!) ?? [],
    });
  }

  /**
   * The records' links, their IdP groups and their users' grants, read in ONE statement: one snapshot.
   * Read apart, a concurrent write adding the user to another IdP group could commit in between, and
   * its grant would be seen without the IdP membership behind it, and revoked as stale.
   */
  private async state(
    em: EntityManager,
    connectorId: string,
    sourceRefs: readonly string[],
  ): Promise<{ links: Link[]; idpGroups: Map<string, IdpGroup[]>; rowOf: Map<Grant, GrantRow>; grantsOf: Map<string, Grant[]> }> {
    const refs = recordIds(sourceRefs);
    const idpGroups = new Map<string, IdpGroup[]>();
    if (refs.length === 0) return { links: [], idpGroups, ...indexGrants([]) };
    const [state]: { links: Link[]; idp: IdpGroupRow[]; grants: GrantRow[] }[] = await em.query(
      `WITH links AS (SELECT ${LINK_COLUMNS} FROM user_sources s WHERE s.connector_id = $1 AND s.source_ref = ANY($2::text[]))
       SELECT (SELECT coalesce(jsonb_agg(l), '[]') FROM links l) AS links,
              (SELECT coalesce(jsonb_agg(i), '[]') FROM (${IDP_GROUPS_SQL}) i) AS idp,
              (SELECT coalesce(jsonb_agg(x), '[]') FROM links l CROSS JOIN LATERAL (
                 SELECT ${GRANT_COLUMNS} FROM ${GRANTS_FROM} WHERE ms.user_id = l."userId" OFFSET 0) x) AS grants`,
      [connectorId, refs],
    );
    for (const r of state.idp) append(idpGroups, r.ref, idpGroup(r));
    return { links: state.links, idpGroups, ...indexGrants(state.grants) };
  }

  /** Every grant of these users, from every source, with the row behind each. */
  private async grants(em: EntityManager, userIds: string[]): Promise<{ rowOf: Map<Grant, GrantRow>; grantsOf: Map<string, Grant[]> }> {
    if (userIds.length === 0) return indexGrants([]);
    return indexGrants(await em.query(`SELECT ${GRANT_COLUMNS} FROM ${GRANTS_FROM} WHERE ms.user_id = ANY($1::uuid[])`, [userIds]));
  }

  /**
   * The directory groups named (case-insensitively), created where missing: ids by lower-cased name,
   * and the names created. A group created concurrently by another transaction is read once it commits.
   */
  async ensureGroups(em: EntityManager, directoryId: string, names: string[]): Promise<{ ids: Map<string, string>; created: string[] }> {
    const wanted = new Map<string, string>();
    for (const name of names) if (!wanted.has(name.toLowerCase())) wanted.set(name.toLowerCase(), name);
    const ids = new Map<string, string>();
    if (wanted.size === 0) return { ids, created: [] };
    const created: { id: string; display_name: string }[] = await em.query(
      `INSERT INTO groups (directory_id, display_name) SELECT $1, n FROM unnest($2::text[]) AS n
       ON CONFLICT (directory_id, lower(display_name)) DO NOTHING RETURNING id, display_name`,
      [directoryId, [...wanted.values()]],
    );
    for (const g of created) ids.set(g.display_name.toLowerCase(), g.id);
    const missing = [...wanted.keys()].filter((key) => !ids.has(key));
    if (missing.length) {
      const existing: { id: string; key: string }[] = await em.query(
        `SELECT id, lower(display_name) AS key FROM groups WHERE directory_id = $1 AND lower(display_name) = ANY($2::text[])`,
        [directoryId, missing],
      );
      for (const g of existing) ids.set(g.key, g.id);
    }
    return { ids, created: created.map((g) => g.display_name) };
  }

  /** Each record's IdP groups: the connector's SCIM groups it is a direct member of. */
  async idpGroupsOf(em: EntityManager, connectorId: string, refs: string[]): Promise<Map<string, IdpGroup[]>> {
    const rows: IdpGroupRow[] = await em.query(IDP_GROUPS_SQL, [connectorId, refs]);
    const byRef = new Map<string, IdpGroup[]>();
    for (const r of rows) append(byRef, r.ref, idpGroup(r));
    return byRef;
  }
}

/** The reason the record's directory user is deprovisioned after this evaluation, or null. */
function nextReason(link: Link, groups: readonly IdpGroup[], settings: GroupSettings, options: SyncOptions): Reason | null {
  const own = options.recordReasons?.has(link.sourceRef)
    ? options.recordReasons.get(link.sourceRef)!
    : link.deprovisioned === 'outOfScope'
      ? null
      : link.deprovisioned;
  const out = inScope(groups.map((g) => g.displayName), settings) ? null : 'outOfScope';
  // A reason the settings keep the user for does nothing: being out of scope, which acts, comes first then.
  const kept = own === 'deactivated' ? settings.lifecycle.onDeactivate === 'keep' : own === 'dropped' && settings.lifecycle.onDropped === 'keep';
  return own !== null && out !== null && kept ? out : (own ?? out);
}

/** Distinct SCIM user ids, lower-cased; a member value that is no uuid names no record. */
function recordIds(refs: readonly string[]): string[] {
  return [...new Set(refs.filter(isUuid).map((r) => r.toLowerCase()))];
}

/** Grant rows as grants, each with its row, and each user's grants. */
function indexGrants(rows: readonly GrantRow[]): { rowOf: Map<Grant, GrantRow>; grantsOf: Map<string, Grant[]> } {
  const rowOf = new Map<Grant, GrantRow>();
  const grantsOf = new Map<string, Grant[]>();
  for (const row of rows) {
    const grant = toGrant(row);
    rowOf.set(grant, row);
    append(grantsOf, row.user_id, grant);
  }
  return { rowOf, grantsOf };
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Deprovisioned users receive no new grants: a reason in force that was acted on (not kept, held or discarded). */
function isDeprovisioned(link: Link): boolean {
  return link.deprovisioned !== null && (link.action === 'disable' || link.action === 'anonymise' || link.action === 'delete');
}
