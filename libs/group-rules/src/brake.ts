// The mass-deprovisioning brake: holds deprovisioning for an admin to confirm when an unusual share of
// a connector's users would go at once (a broken IdP assignment, a wrong filter, an emptied group).
// Decisions: hold only when strictly more than maxShare would go (exactly maxShare passes), only from
// minUsers active users up (small connectors swing by whole percents), never with no active users;
// the caller counts the window: pendingDeprovisions includes the one being decided, and
// activeUsersInConnector should count users active when the window opened, so the share does not
// creep up as users are disabled within it.
import type { GroupSettings } from './settings';

export interface BrakeDecision {
  hold: boolean;
  reason: string;
}

export interface BrakeInput {
  settings: GroupSettings;
  activeUsersInConnector: number;
  /** Deprovisions counted within the window, including this one. */
  pendingDeprovisions: number;
}

/** For one deprovision (SCIM pushes arrive one at a time), judged over the sliding window. */
export function brakeDecision(input: BrakeInput): BrakeDecision {
  const within = ` within ${input.settings.brake.windowSeconds} seconds`;
  return judge(input.activeUsersInConnector, input.pendingDeprovisions, input.settings, { users: 'active users', within });
}

/** For a whole sync (an LDAP pull, a full reconciliation): `toDeprovision` of `total` users at once. */
export function brakeForBatch(total: number, toDeprovision: number, settings: GroupSettings): BrakeDecision {
  return judge(total, toDeprovision, settings, { users: 'users in this sync', within: '' });
}

function judge(population: number, leaving: number, settings: GroupSettings, words: { users: string; within: string }): BrakeDecision {
  for (const [name, value] of [['user count', population], ['deprovision count', leaving]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`The brake's ${name} must be a non-negative integer, got ${value}`);
  }
  const { enabled, maxShare, minUsers } = settings.brake;
  if (!enabled) return { hold: false, reason: 'the mass-deprovisioning brake is off' };
  if (population === 0) return { hold: false, reason: 'there are no active users to protect' };
  if (population < minUsers) return { hold: false, reason: `${population} users is below the brake's minimum of ${minUsers}` };
  const share = leaving / population;
  const counted = `${leaving} of ${population} ${words.users} (${percent(share)}) would be deprovisioned${words.within}`;
  return share > maxShare
    ? { hold: true, reason: `${counted}, more than the ${percent(maxShare)} limit: held for an admin to confirm` }
    : { hold: false, reason: `${counted}, within the ${percent(maxShare)} limit` };
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}
