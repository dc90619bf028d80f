// Lifecycle decisions: what happens to a directory user when its IdP deactivates, reactivates or
// deletes it, when it leaves every required group, or when a mapping rule drops it. Decisions:
// - Reactivation enables the user and strips nothing; re-planning memberships then restores what the
//   rules grant (default groups for new users are not re-granted: the user is not new).
// - Stripping (lifecycle.stripMemberships, on disable and anonymise) removes grants from every source
//   except in never-remove groups; with keepExistingMemberships it removes only this connector's own
//   grants of known provenance, leaving admins', LDAP's, other connectors' and unknown-provenance ones.
// - `delete` removes the user and with it every membership. When the settings promise to keep one of
//   them (a never-remove group, or keepExistingMemberships protecting another source), deleting would
//   break that promise, so the user is disabled instead and the reason says so.
import { distinctGroups, grantKey, hasUnknownProvenance, isOwnedBy, type Grant } from './grants';
import { firstMatch, quote } from './matchers';
import { neverRemoveReason } from './rules';
import type { DeprovisionAction, GroupSettings } from './settings';

export type LifecycleEventType = 'deactivated' | 'reactivated' | 'deleted' | 'outOfScope' | 'dropped';

export interface LifecycleEvent {
  type: LifecycleEventType;
  /** The connector reporting the event. */
  connectorId: string;
  /** The user's current grants from every source. */
  grants: readonly Grant[];
}

export type LifecycleAction = DeprovisionAction | 'enable';

export interface LifecycleDecision {
  action: LifecycleAction;
  /** True when the action removes memberships: `revoke` lists them. */
  stripMemberships: boolean;
  /** The directory groups the user is still in after the action. */
  keepGroups: string[];
  revoke: Grant[];
  reason: string;
}

/** True when `requiredGroups` is empty or one of the user's IdP group names matches an entry. */
export function inScope(userGroups: readonly string[], settings: GroupSettings): boolean {
  return settings.requiredGroups.length === 0 || userGroups.some((group) => firstMatch(settings.requiredGroups, group) >= 0);
}

export function decideLifecycle(event: LifecycleEvent, settings: GroupSettings): LifecycleDecision {
  const grants = distinctGrants(event.grants);
  if (event.type === 'reactivated') {
    return untouched('enable', grants, 'the IdP reactivated the user: enable it; the next evaluation restores what the rules grant');
  }
  const { action, why } = configuredAction(event.type, settings);
  if (action === 'keep') return untouched('keep', grants, `${why}: keep the user as it is`);

  const survives = (g: Grant) => survivesStrip(g, event.connectorId, settings);
  if (action === 'delete') {
    const kept = distinctGroups(grants.filter(survives).map((g) => g.group));
    if (kept.length === 0) {
      return { action, stripMemberships: true, keepGroups: [], revoke: grants, reason: `${why}: delete the user with all memberships` };
    }
    const instead = `${why}, but deleting would remove memberships the settings keep (${kept.map(quote).join(', ')}), so disable instead`;
    return disableOrAnonymise('disable', grants, survives, instead, settings);
  }
  return disableOrAnonymise(action, grants, survives, why, settings);
}

function configuredAction(type: Exclude<LifecycleEventType, 'reactivated'>, settings: GroupSettings): { action: DeprovisionAction; why: string } {
  const { lifecycle } = settings;
  switch (type) {
    case 'deactivated':
      return { action: lifecycle.onDeactivate, why: `the IdP deactivated the user (onDeactivate: '${lifecycle.onDeactivate}')` };
    case 'deleted':
      return { action: lifecycle.onDelete, why: `the IdP deleted the user (onDelete: '${lifecycle.onDelete}')` };
    case 'outOfScope':
      return { action: lifecycle.onOutOfScope, why: `the user is in none of the required groups (onOutOfScope: '${lifecycle.onOutOfScope}')` };
    case 'dropped':
      return { action: lifecycle.onDropped, why: `a mapping rule dropped the user (onDropped: '${lifecycle.onDropped}')` };
  }
}

function disableOrAnonymise(
  action: 'disable' | 'anonymise',
  grants: Grant[],
  survives: (g: Grant) => boolean,
  why: string,
  settings: GroupSettings,
): LifecycleDecision {
  if (!settings.lifecycle.stripMemberships) return untouched(action, grants, `${why}; memberships stay (stripMemberships is off)`);
  const except = settings.keepExistingMemberships ? 'never-remove groups and grants this connector did not make' : 'never-remove groups';
  return {
    action,
    stripMemberships: true,
    keepGroups: distinctGroups(grants.filter(survives).map((g) => g.group)),
    revoke: grants.filter((g) => !survives(g)),
    reason: `${why}; memberships stripped except ${except}`,
  };
}

function untouched(action: LifecycleAction, grants: readonly Grant[], reason: string): LifecycleDecision {
  return { action, stripMemberships: false, keepGroups: distinctGroups(grants.map((g) => g.group)), revoke: [], reason };
}

/** True when a strip must leave this grant: never-remove group, or keepExistingMemberships and not this connector's own. */
function survivesStrip(grant: Grant, connectorId: string, settings: GroupSettings): boolean {
  if (neverRemoveReason(grant.group, settings) !== undefined) return true;
  return settings.keepExistingMemberships && !(isOwnedBy(grant.source, connectorId) && !hasUnknownProvenance(grant.source));
}

function distinctGrants(grants: readonly Grant[]): Grant[] {
  const byKey = new Map<string, Grant>();
  for (const grant of grants) if (!byKey.has(grantKey(grant))) byKey.set(grantKey(grant), grant);
  return [...byKey.values()];
}
