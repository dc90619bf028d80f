// A connector's group-sync and lifecycle settings: the typed shape validateGroupSettings produces and
// every evaluator reads, plus the defaults. Decisions: settings stay plain JSON (they live in the
// connector's jsonb column), so patterns are kept as source strings and compiled where they are used;
// `strategy` is a plain word with the manual mappings in their own section, so switching strategy and
// back does not lose the mappings; the default strategy is `onTheFly`, because an IdP only pushes the
// groups its admin chose to push, and mirroring them is what that admin expects.

/** How IdP groups become directory memberships. */
export type Strategy = 'none' | 'manual' | 'onTheFly';

/** A directory group name (compared case-insensitively) or an RE2 pattern (case-insensitive, unanchored). */
export type GroupMatcher = string | { pattern: string };

/** Which IdP groups a manual mapping applies to: exact name (case-insensitive), exact externalId, or RE2 pattern on the name. */
export type IdpGroupMatcher = { name: string } | { externalId: string } | { pattern: string };

/** One manual mapping: the IdP groups it matches give membership of every listed directory group. */
export type ManualMapping = IdpGroupMatcher & { groups: string[] };

export interface ManualSettings {
  mappings: ManualMapping[];
  /** Create the directory groups that mapped IdP groups point to even before anyone is granted them. */
  importEmptyMappedGroups: boolean;
}

export type DeprovisionAction = 'disable' | 'delete' | 'anonymise' | 'keep';

export interface LifecycleSettings {
  onDeactivate: 'disable' | 'keep';
  onDelete: DeprovisionAction;
  onOutOfScope: DeprovisionAction;
  onDropped: DeprovisionAction;
  /** On disable/anonymise, remove the user's memberships too (never from never-remove groups). */
  stripMemberships: boolean;
}

export interface BrakeSettings {
  enabled: boolean;
  /** Hold when more than this share (0..1) of the active users would be deprovisioned. */
  maxShare: number;
  /** The sliding window, in seconds, over which individual deprovisions are counted. */
  windowSeconds: number;
  /** Below this many active users the brake never holds. */
  minUsers: number;
}

export interface GroupSettings {
  strategy: Strategy;
  manual: ManualSettings;
  /** When not empty, only directory groups matching an entry are assigned from IdP groups. */
  onlyAssign: GroupMatcher[];
  /** Directory groups never assigned from IdP groups; wins over onlyAssign. */
  neverAssign: GroupMatcher[];
  defaultGroups: {
    /** Granted once, when the user is created. */
    newUsers: string[];
    /** Granted on every evaluation, so removing one by hand does not stick. */
    allUsers: string[];
  };
  /** Directory groups Roster never removes a membership from. */
  neverRemove: GroupMatcher[];
  /** Never touch memberships this connector did not verifiably grant (see README). */
  keepExistingMemberships: boolean;
  /** When not empty, a user in none of these IdP groups is out of scope. */
  requiredGroups: GroupMatcher[];
  lifecycle: LifecycleSettings;
  brake: BrakeSettings;
}

export function defaultGroupSettings(): GroupSettings {
  return {
    strategy: 'onTheFly',
    manual: { mappings: [], importEmptyMappedGroups: false },
    onlyAssign: [],
    neverAssign: [],
    defaultGroups: { newUsers: [], allUsers: [] },
    neverRemove: [],
    keepExistingMemberships: false,
    requiredGroups: [],
    lifecycle: { onDeactivate: 'disable', onDelete: 'disable', onOutOfScope: 'disable', onDropped: 'disable', stripMemberships: false },
    brake: { enabled: true, maxShare: 0.1, windowSeconds: 300, minUsers: 20 },
  };
}
