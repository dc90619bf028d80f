// planMemberships: what one connector's rules add to and take from one user's memberships, with a
// reason for every change. Decisions:
// - A connector revokes only grants it owns (its IdP groups and its default rules), so two connectors
//   feeding one directory, LDAP and admins never undo each other, and nothing is revoked from a
//   never-remove group.
// - Default groups for new users are a one-time grant: made when `isNew`, never revoked by planning.
//   Default groups for all users are granted on every evaluation, and revoked once no longer listed.
// - A deprovisioned user receives nothing new, but still loses grants the IdP withdrew; stripping
//   the rest is the lifecycle decision's job.
// - A grant of this connector with unknown provenance (recorded before provenance existed) is revoked
//   like any other stale grant, or kept when keepExistingMemberships is on. When a rule grants that group
//   again, the plan replaces it with a grant that records its IdP group.
// - `createGroups` lists the groups the plan grants into that the user has no membership of yet: the
//   caller ensures each exists (creates it if missing) before inserting the grants.
// Applying a plan and planning again yields no grant, revoke or createGroups.
import { distinctGroups, grantKey, isOwnedBy, type Grant, type GroupSourceKind, type IdpGroup, type Source } from './grants';
import { evaluateRules, protection, staleReason } from './evaluation';
import { nameKey } from './matchers';
import type { GroupSettings } from './settings';

export interface PlanUser {
  id: string;
  /** True when the user is being created now: default groups for new users apply. */
  isNew: boolean;
  /** Disabled, anonymised or otherwise deprovisioned: no new grants. */
  deprovisioned?: boolean;
}

export interface PlanInput {
  connectorId: string;
  settings: GroupSettings;
  user: PlanUser;
  /** The groups the user is in at this connector's IdP (or LDAP server). */
  idpGroups: readonly IdpGroup[];
  /** The user's current grants from every source. Grants of other users are ignored. */
  currentGrants: readonly Grant[];
  /** `ldap` for LDAP connectors, whose group-derived grants are LDAP grants. Default `connector`. */
  groupSourceKind?: GroupSourceKind;
}

/**
 * grant / revoke: the change; excluded: a rule led here but onlyAssign/neverAssign refused;
 * withheld: not granted because the user is deprovisioned; protected: no longer wanted but kept.
 */
export type PlanOutcome = 'grant' | 'revoke' | 'excluded' | 'withheld' | 'protected';

export interface PlanExplanation {
  group: string;
  outcome: PlanOutcome;
  source: Source;
  reason: string;
}

export interface MembershipPlan {
  grant: Grant[];
  revoke: Grant[];
  createGroups: string[];
  explanations: PlanExplanation[];
}

export function planMemberships(input: PlanInput): MembershipPlan {
  const { connectorId, settings, user } = input;
  const evaluation = evaluateRules({
    connectorId,
    settings,
    userId: user.id,
    isNew: user.isNew,
    idpGroups: input.idpGroups,
    groupSourceKind: input.groupSourceKind ?? 'connector',
  });
  const explanations: PlanExplanation[] = evaluation.excluded.map(({ grant, reason }) => explain(grant, 'excluded', reason));

  const current = input.currentGrants.filter((g) => g.userId === user.id);
  const currentKeys = new Set(current.map(grantKey));
  const grant: Grant[] = [];
  for (const { grant: g, because } of evaluation.wanted.values()) {
    if (currentKeys.has(grantKey(g))) continue;
    if (user.deprovisioned) {
      explanations.push(explain(g, 'withheld', `${because}, but the user is deprovisioned`));
    } else {
      grant.push(g);
      explanations.push(explain(g, 'grant', because));
    }
  }

  const revoke: Grant[] = [];
  const seen = new Set<string>();
  for (const g of current) {
    const key = grantKey(g);
    if (!isOwnedBy(g.source, connectorId) || evaluation.wanted.has(key) || seen.has(key)) continue;
    seen.add(key);
    const why = staleReason(g, evaluation);
    if (why === undefined) continue;
    const keep = protection(g, settings);
    if (keep === undefined) {
      revoke.push(g);
      explanations.push(explain(g, 'revoke', why));
    } else {
      explanations.push(explain(g, 'protected', `${why}, but ${keep}`));
    }
  }

  const held = new Set(current.map((g) => nameKey(g.group)));
  const createGroups = distinctGroups(grant.map((g) => g.group).filter((group) => !held.has(nameKey(group))));
  return { grant, revoke, createGroups, explanations };
}

function explain(grant: Grant, outcome: PlanOutcome, reason: string): PlanExplanation {
  return { group: grant.group, outcome, source: grant.source, reason };
}
