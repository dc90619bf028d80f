// What deactivation, deletion, leaving every required group or being dropped by a mapping rule does to
// a directory user, per connector (settings.lifecycle), behind the mass-deprovisioning brake.
// Decisions:
// - A record's link (user_sources) carries its lifecycle state: the reason its connector deprovisions
//   the user and what was done. A transition happens when the reason starts or ends, never again while
//   it lasts, so repeated PUTs of an inactive user do nothing and a discarded hold stays discarded.
// - The brake counts deprovisions of active users only, per connector, over its window; from the
//   first hold until an admin decides, every further deprovision of the connector joins that hold.
//   The IdP's write itself (the SCIM view) always lands: only the directory change waits.
// - A user created by this request (inactive, or out of scope) is never counted: it was not active. A
//   new record linking to an existing active user (another connector's) is counted like any other.
// - A SCIM DELETE of a record while another record (another connector) still feeds the directory user
//   only unlinks it and revokes what this connector's groups granted.
import { Injectable } from '@nestjs/common';
import { decideLifecycle, planMemberships, type Grant, type LifecycleDecision, type LifecycleEventType } from '@roster/group-rules';
import { brakeDecision } from '@roster/group-rules';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { deleteGrants, GRANT_COLUMNS, GRANTS_FROM, GrantRow, toGrant } from './grant-rows';
import { Link, LinkAction, LINK_COLUMNS, Reason, SyncTarget } from './sync-target';

const SCRUB = `user_name = 'anonymised-' || id, email = NULL, display_name = NULL, given_name = NULL, family_name = NULL,
  external_id = NULL, phone = NULL, title = NULL, department = NULL, manager = NULL, employee_number = NULL, attributes = '{}'`;

/** How long a connector's active-user count serves the brake. */
const POPULATION_TTL_MS = 10_000;

@Injectable()
export class LifecycleService {
  private readonly populations = new Map<string, { active: number; recent: number; until: number }>();

  constructor(private readonly audit: AuditService) {}

  /** The record's link, row-locked; null when the record feeds no directory user. */
  async link(em: EntityManager, connectorId: string, sourceRef: string): Promise<Link | null> {
    const [link] = await em.query(`SELECT ${LINK_COLUMNS} FROM user_sources s WHERE s.connector_id = $1 AND s.source_ref = $2 FOR UPDATE`, [connectorId, sourceRef]);
    return link ?? null;
  }

  /** Moves the link from its current reason to `next`, doing what the settings say; the link after. */
  async transition(em: EntityManager, t: SyncTarget, link: Link, next: Reason | null, options: { isNew: boolean }): Promise<Link> {
    const from = link.deprovisioned;
    if (from === next) return link;
    if (next === null) return this.reactivate(em, t, link);
    // A new reason while another lasts: what was done stands (disabled, deleted, held). When nothing was
    // done (kept, or an admin discarded the hold), the new reason is judged like a first one, or a user
    // kept while deactivated would stay active once reactivated out of scope.
    if (from !== null && link.action !== 'keep' && link.action !== null) {
      await this.setState(em, t.connectorId, link.sourceRef, next, link.action);
      return { ...link, deprovisioned: next };
    }
    const action = link.userId ? await this.deprovision(em, t, link.userId, link.sourceRef, next, options.isNew) : 'keep';
    await this.setState(em, t.connectorId, link.sourceRef, next, action);
    return { ...link, deprovisioned: next, action, userId: action === 'delete' ? null : link.userId };
  }

  /** The IdP deleted the record: its link goes, and onDelete applies to the directory user it fed. */
  async deleted(em: EntityManager, t: SyncTarget, sourceRef: string): Promise<void> {
    const link = await this.link(em, t.connectorId, sourceRef);
    if (!link) return;
    await em.query(`DELETE FROM user_sources WHERE connector_id = $1 AND source_ref = $2`, [t.connectorId, sourceRef]);
    if (!link.userId) return;
    const [other] = await em.query(`SELECT 1 FROM user_sources WHERE user_id = $1 LIMIT 1`, [link.userId]);
    if (other) {
      const revoked = await this.revokeWithdrawn(em, t, link.userId);
      await this.record(em, t, link.userId, 'directory.user.unlinked', {
        reason: 'the IdP deleted the record; another connector still feeds this user, so only this connector’s grants go',
        revoked,
      });
      return;
    }
    const action = await this.deprovision(em, t, link.userId, sourceRef, 'deleted', false);
    // A deleted record is in no IdP group any more: what its groups granted goes with it (as for any
    // deprovisioned user the IdP withdraws groups from), unless the settings keep the user as it is.
    if (action === 'disable' || action === 'anonymise') await this.revokeWithdrawn(em, t, link.userId);
  }

  /** Revokes the grants this connector's rules no longer make for a user who is in none of its IdP groups. */
  private async revokeWithdrawn(em: EntityManager, t: SyncTarget, userId: string): Promise<string[]> {
    const grants = await this.grants(em, userId);
    const plan = planMemberships({
      connectorId: t.connectorId,
      settings: t.settings,
      user: { id: userId, isNew: false, deprovisioned: true },
      idpGroups: [],
      currentGrants: grants.map(({ grant }) => grant),
    });
    return this.revoke(em, grants, plan.revoke);
  }

  private async reactivate(em: EntityManager, t: SyncTarget, link: Link): Promise<Link> {
    await this.setState(em, t.connectorId, link.sourceRef, null, null);
    const after: Link = { ...link, deprovisioned: null, action: null };
    if (link.action === 'delete' || link.action === 'anonymise') {
      await t.reproject?.(em, link.sourceRef);
      const [relinked] = await em.query(`SELECT user_id FROM user_sources WHERE connector_id = $1 AND source_ref = $2`, [t.connectorId, link.sourceRef]);
      after.userId = relinked?.user_id ?? null;
    }
    if (after.userId) {
      await em.query(`UPDATE users SET active = true, updated_at = clock_timestamp() WHERE id = $1 AND NOT active`, [after.userId]);
      await this.record(em, t, after.userId, 'directory.user.reactivated', { was: link.deprovisioned, action: link.action });
    }
    return after;
  }

  /** Decides and applies (or holds) a deprovision of `userId`; returns what was done. */
  private async deprovision(em: EntityManager, t: SyncTarget, userId: string, sourceRef: string, event: LifecycleEventType, isNew: boolean): Promise<LinkAction> {
    const grants = await this.grants(em, userId);
    const decision = decideLifecycle({ type: event, connectorId: t.connectorId, grants: grants.map(({ grant }) => grant) }, t.settings);
    if (decision.action === 'keep' || decision.action === 'enable') {
      await this.record(em, t, userId, 'directory.user.kept', { event, reason: decision.reason });
      return 'keep';
    }
    // A record new in this request counts only when it met a directory user that existed before (linked
    // by username from another connector): created_at is now() only for a user this transaction made.
    const [user] = await em.query(`SELECT active, created_at = now() AS created FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    if (!user) return 'keep';
    if (!(isNew && user.created) && user.active) {
      const holdId = await this.brake(em, t);
      await em.query(
        `INSERT INTO deprovisions (connector_id, user_id, source_ref, event, action, status, hold_id, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [t.connectorId, userId, sourceRef, event, decision.action, holdId ? 'held' : 'applied', holdId, decision.reason],
      );
      if (holdId) {
        await this.record(em, t, userId, 'directory.user.deprovision_held', { event, action: decision.action, holdId, reason: decision.reason });
        return 'held';
      }
    }
    await this.apply(em, t, userId, decision, grants, event);
    return decision.action;
  }

  /** Carries out a decision on the directory user, with its audit record. */
  async apply(em: EntityManager, t: SyncTarget, userId: string, decision: LifecycleDecision, grants: { grant: Grant; row: GrantRow }[], event: LifecycleEventType): Promise<void> {
    const revoked = decision.stripMemberships ? await this.revoke(em, grants, decision.revoke) : [];
    if (decision.action === 'delete') {
      await this.record(em, t, userId, 'directory.user.deleted', { event, reason: decision.reason });
      await em.query(`DELETE FROM users WHERE id = $1`, [userId]);
      return;
    }
    const scrub = decision.action === 'anonymise' ? `, ${SCRUB}` : '';
    await em.query(`UPDATE users SET active = false, updated_at = clock_timestamp()${scrub} WHERE id = $1`, [userId]);
    await this.record(em, t, userId, decision.action === 'anonymise' ? 'directory.user.anonymised' : 'directory.user.disabled', {
      event,
      reason: decision.reason,
      revoked,
    });
  }

  /** The user's grants from every source, each with its row. */
  async grants(em: EntityManager, userId: string): Promise<{ grant: Grant; row: GrantRow }[]> {
    const rows: GrantRow[] = await em.query(`SELECT ${GRANT_COLUMNS} FROM ${GRANTS_FROM} WHERE ms.user_id = $1`, [userId]);
    return rows.map((row) => ({ grant: toGrant(row), row }));
  }

  /** Deletes the rows of `revoke` (grants out of `grants`); returns the group names. */
  private async revoke(em: EntityManager, grants: { grant: Grant; row: GrantRow }[], revoke: Grant[]): Promise<string[]> {
    const ids = grants.filter(({ grant }) => revoke.includes(grant)).map(({ row }) => row.id);
    if (ids.length) await deleteGrants(em, ids);
    return revoke.map((g) => g.group);
  }

  /**
   * The brake for one more deprovision of an active user: the open hold it joins, a new hold, or null
   * when it may proceed. Serialised per connector, so parallel IdP requests count correctly.
   */
  private async brake(em: EntityManager, t: SyncTarget): Promise<string | null> {
    if (!t.settings.brake.enabled) return null;
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('roster.brake:' || $1))`, [t.connectorId]);
    const [open] = await em.query(`SELECT id FROM deprovision_holds WHERE connector_id = $1 AND status = 'open'`, [t.connectorId]);
    if (open) return open.id;
    // The window starts no earlier than the last decision on a hold: an approved burst is not counted twice.
    const [{ recent }] = await em.query(
      `SELECT count(*)::int AS recent FROM deprovisions d WHERE d.connector_id = $1 AND d.status = 'applied'
         AND d.created_at > greatest(clock_timestamp() - make_interval(secs => $2),
                                     coalesce((SELECT max(decided_at) FROM deprovision_holds h WHERE h.connector_id = $1), '-infinity'))`,
      [t.connectorId, t.settings.brake.windowSeconds],
    );
    const decision = brakeDecision({ settings: t.settings, activeUsersInConnector: await this.population(em, t.connectorId, recent), pendingDeprovisions: recent + 1 });
    if (!decision.hold) return null;
    const [hold] = await em.query(`INSERT INTO deprovision_holds (connector_id, status, reason) VALUES ($1, 'open', $2) RETURNING id`, [t.connectorId, decision.reason]);
    await this.audit.record(
      { actor: t.actor, action: 'connector.brake_held', requestId: t.requestId, connectorId: t.connectorId, directoryId: t.directoryId, targetType: 'deprovision_hold', targetId: hold.id, details: { reason: decision.reason } },
      em,
    );
    return hold.id;
  }

  /**
   * The connector's users active when the window opened: those active now plus those deprovisioned
   * within it. Counting a large connector's users on every deprovision would serialise a burst behind
   * the count, so the count is kept for POPULATION_TTL_MS with the window's deprovisions at that moment.
   */
  private async population(em: EntityManager, connectorId: string, recent: number): Promise<number> {
    const hit = this.populations.get(connectorId);
    if (hit && hit.until > Date.now()) return hit.active + hit.recent;
    const [{ active }] = await em.query(`SELECT count(*)::int AS active FROM user_sources s JOIN users u ON u.id = s.user_id WHERE s.connector_id = $1 AND u.active`, [connectorId]);
    if (this.populations.size >= 10_000) this.populations.clear();
    this.populations.set(connectorId, { active, recent, until: Date.now() + POPULATION_TTL_MS });
    return active + recent;
  }

  private async setState(em: EntityManager, connectorId: string, sourceRef: string, reason: Reason | null, action: LinkAction | null): Promise<void> {
    await em.query(`UPDATE user_sources SET deprovisioned = $3, lifecycle_action = $4 WHERE connector_id = $1 AND source_ref = $2`, [connectorId, sourceRef, reason, action]);
  }

  private record(em: EntityManager, t: SyncTarget, userId: string, action: string, details: Record<string, unknown>): Promise<void> {
    return this.audit.record(
      { actor: t.actor, action, requestId: t.requestId, connectorId: t.connectorId, directoryId: t.directoryId, targetType: 'directory_user', targetId: userId, details },
      em,
    );
  }
}
