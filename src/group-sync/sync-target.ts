import type { GroupSettings } from '@roster/group-rules';
import type { Evaluation } from '@roster/mapping-core';
import type { EntityManager } from 'typeorm';

/** The connector a group-sync or lifecycle step acts for, and who asked. */
export interface SyncTarget {
  connectorId: string;
  directoryId: string;
  settings: GroupSettings;
  /** `connector:<id>` for IdP writes, `admin` for admin actions and background jobs. */
  actor: string;
  requestId?: string;
  /**
   * Projects the record again (its mapping applied to its stored SCIM state): called when a lifecycle
   * rule had deleted or anonymised its directory user and the reason ended.
   */
  reproject?: (em: EntityManager, sourceRef: string) => Promise<void>;
}

/** Why a connector deprovisions a record's directory user. */
export type Reason = 'deactivated' | 'outOfScope' | 'dropped';
/** The reasons a user record carries itself (its IdP state, its mapping); scope comes from its groups. */
export type RecordReason = Exclude<Reason, 'outOfScope'>;
/** What was done about a reason: the lifecycle action, or `held` by the brake (NULL: an admin discarded the hold). */
export type LinkAction = 'disable' | 'delete' | 'anonymise' | 'keep' | 'held';

/** A record's link to its directory user (user_sources), with its lifecycle state. */
export interface Link {
  sourceRef: string;
  userId: string | null;
  deprovisioned: Reason | null;
  action: LinkAction | null;
}

export const LINK_COLUMNS = `s.source_ref AS "sourceRef", s.user_id AS "userId", s.deprovisioned, s.lifecycle_action AS action`;

/** The reason a user record itself gives its lifecycle: dropped by a mapping rule, or deactivated at the IdP. */
export function recordReason(evaluation: Evaluation, data: Record<string, unknown>): RecordReason | null {
  if (evaluation.outcome === 'dropped') return 'dropped';
  const mapped = evaluation.outcome === 'mapped' ? evaluation.user.fields.active : undefined;
  return (mapped ?? data.active) === false ? 'deactivated' : null;
}
