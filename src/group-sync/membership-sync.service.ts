// Directory memberships from a connector's IdP groups: after every write that can change what a user
// is granted (a group's members or name, a user created or reactivated, a settings change), the
// users concerned are evaluated with @roster/group-rules and the plan applied with set operations, in
// the caller's transaction. Decisions:
// - Only the users a write touches are evaluated: adding 1,000 members to a 100,000-member group
//   evaluates 1,000 users, whatever the group's size.
// - The users' directory rows are locked in id order first, so concurrent writes touching one user
//   evaluate one after another and never interleave their plans.
// - A user's IdP groups are the connector's SCIM groups it is a direct member of (IdPs push groups
//   flat; a member that is a group grants nothing to its members).
// - Requiring groups makes scope part of the evaluation: leaving every required group is a lifecycle
//   event (LifecycleService), as is coming back.
import { Injectable } from '@nestjs/common';
import { inScope, planMemberships, type Grant, type GroupSettings, type IdpGroup, type MembershipPlan } from '@roster/group-rules';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { GRANT_COLUMNS, GrantRow, sourceColumns, toGrant } from './grant-rows';
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

const NOTHING: SyncSummary = { granted: 0, revoked: 0, groupsCreated: [] };

@Injectable()
export class MembershipSync {
  constructor(
    private readonly lifecycle: LifecycleService,
    private readonly audit: AuditService,
  ) {}

  /** Evaluates the records `sourceRefs` (SCIM user ids) of the connector and applies the result. */
  async sync(em: EntityManager, t: SyncTarget, sourceRefs: readonly string[], options: SyncOptions = {}): Promise<SyncSummary> {
    const links = await this.links(em, t.connectorId, sourceRefs, true);
    if (links.length === 0) return NOTHING;
    const idpGroups = await this.idpGroupsOf(em, t.connectorId, links.map((l) => l.sourceRef));
    const current: Link[] = [];
    for (const link of links) {
      const next = nextReason(link, idpGroups.get(link.sourceRef) ?? [], t.settings, options);
      current.push(await this.lifecycle.transition(em, t, link, next, { isNew: options.newRecords?.has(link.sourceRef) ?? false }));
    }

    const live = current.filter((l) => l.userId !== null);
    if (live.length === 0) return NOTHING;
    const { rowOf, grantsOf } = await this.grants(em, live.map((l) => l.userId!));
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
    if (revoke.length) await em.query(`DELETE FROM memberships WHERE id = ANY($1::bigint[])`, [revoke.map((g) => rowOf.get(g)!.id)]);

    const describe = (g: Grant) => ({ userId: g.userId, group: g.group, source: g.source });
    await this.audit.record(
      {
        actor: t.actor,
        action: 'directory.memberships.changed',
        requestId: t.requestId,
        connectorId: t.connectorId,
        directoryId: t.directoryId,
        targetType: 'directory',
        targetId: t.directoryId,
        details: { granted: grant.length, revoked: revoke.length, groupsCreated: created, grants: grant.slice(0, LISTED).map(describe), revokes: revoke.slice(0, LISTED).map(describe) },
      },
      em,
    );
    return { granted: grant.length, revoked: revoke.length, groupsCreated: created };
  }

  /** What `sync` would do to these records under `t.settings`, with reasons; nothing is written. */
  async preview(em: EntityManager, t: SyncTarget, sourceRefs: readonly string[]): Promise<PlannedChange[]> {
    const links = await this.links(em, t.connectorId, sourceRefs, false);
    const idpGroups = await this.idpGroupsOf(em, t.connectorId, links.map((l) => l.sourceRef));
    const { grantsOf } = await this.grants(em, links.flatMap((l) => (l.userId ? [l.userId] : [])));
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
   * The records' links; with `lock`, the links and then their directory users are row-locked in id
   * order, so concurrent writes touching one user evaluate one after another.
   */
  private async links(em: EntityManager, connectorId: string, sourceRefs: readonly string[], lock: boolean): Promise<Link[]> {
    const refs = [...new Set(sourceRefs)];
    if (refs.length === 0) return [];
    const links: Link[] = await em.query(
      `SELECT ${LINK_COLUMNS} FROM user_sources s WHERE s.connector_id = $1 AND s.source_ref = ANY($2::text[]) ORDER BY s.user_id${lock ? ' FOR UPDATE' : ''}`,
      [connectorId, refs],
    );
    const userIds = links.map((l) => l.userId).filter((id): id is string => id !== null);
    if (lock && userIds.length) await em.query(`SELECT 1 FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [userIds]);
    return links;
  }

  /** Every grant of these users, from every source, with the row behind each. */
  private async grants(em: EntityManager, userIds: string[]): Promise<{ rowOf: Map<Grant, GrantRow>; grantsOf: Map<string, Grant[]> }> {
    const rowOf = new Map<Grant, GrantRow>();
    const grantsOf = new Map<string, Grant[]>();
    if (userIds.length === 0) return { rowOf, grantsOf };
    const rows: GrantRow[] = await em.query(`SELECT ${GRANT_COLUMNS} FROM memberships ms JOIN groups g ON g.id = ms.group_id WHERE ms.user_id = ANY($1::uuid[])`, [userIds]);
    for (const row of rows) {
      const grant = toGrant(row);
      rowOf.set(grant, row);
      append(grantsOf, row.user_id, grant);
    }
    return { rowOf, grantsOf };
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
    const rows: { ref: string; displayName: string; externalId: string | null }[] = await em.query(
      `SELECT m.member_id::text AS ref, g.display_name AS "displayName", g.external_id AS "externalId"
       FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
       WHERE m.connector_id = $1 AND m.member_id = ANY($2::uuid[]) AND m.member_type = 'User'`,
      [connectorId, refs],
    );
    const byRef = new Map<string, IdpGroup[]>();
    for (const r of rows) append(byRef, r.ref, { displayName: r.displayName, ...(r.externalId !== null ? { externalId: r.externalId } : {}) });
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

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Deprovisioned users receive no new grants: a reason in force that was acted on (not kept, held or discarded). */
function isDeprovisioned(link: Link): boolean {
  return link.deprovisioned !== null && (link.action === 'disable' || link.action === 'anonymise' || link.action === 'delete');
}
