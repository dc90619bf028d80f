// @roster/group-rules: per-connector group-sync and lifecycle rules, as pure functions over plain data:
// settings validation, membership planning with provenance, explanations, lifecycle decisions and the
// mass-deprovisioning brake. No framework, no database, no I/O.
export * from './settings';
export { validateGroupSettings, type SettingsError, type SettingsValidation } from './validate';
export type { DefaultRule, Grant, GroupSourceKind, IdpGroup, Source } from './grants';
export { grantedGroups, mappedGroupsToCreate } from './rules';
export { planMemberships, type MembershipPlan, type PlanExplanation, type PlanInput, type PlanOutcome, type PlanUser } from './plan';
export { explainMembership, type ConnectorContext, type MembershipReason } from './explain';
export { decideLifecycle, inScope, type LifecycleAction, type LifecycleDecision, type LifecycleEvent, type LifecycleEventType } from './lifecycle';
export { brakeDecision, brakeForBatch, type BrakeDecision, type BrakeInput } from './brake';
