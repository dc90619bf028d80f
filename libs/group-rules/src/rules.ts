// The strategy rules: which directory groups an IdP group leads to, and whether onlyAssign/neverAssign
// let a directory group be assigned. Shared by the planner and by explainMembership, so an explanation
// re-runs exactly the logic that granted. Decisions: filters apply to the directory group names the
// strategy produces, never to default groups (an admin names those explicitly); neverAssign is checked
// first and wins; prose numbers entries from 1 ("manual mapping #2" is manual.mappings[1]).
import { distinctGroups, type IdpGroup } from './grants';
import { describeMatcher, firstMatch, compilePattern, quote, sameName } from './matchers';
import type { GroupSettings, ManualMapping } from './settings';

/** A directory group an IdP group leads to, and the rule that says so, in words. */
export interface RuleTarget {
  group: string;
  because: string;
}

function mappingMatches(mapping: ManualMapping, idpGroup: IdpGroup): boolean {
  if ('name' in mapping) return sameName(mapping.name, idpGroup.displayName);
  if ('externalId' in mapping) return idpGroup.externalId !== undefined && mapping.externalId === idpGroup.externalId;
  return compilePattern(mapping.pattern).test(idpGroup.displayName);
}

/**
 * The directory groups `idpGroup` leads to under the strategy, before onlyAssign/neverAssign.
 * `groupLabel` names the source in explanations ("IdP group", "LDAP group").
 */
export function ruleTargets(idpGroup: IdpGroup, settings: GroupSettings, groupLabel: string): RuleTarget[] {
  const from = `${groupLabel} ${quote(idpGroup.displayName)}`;
  switch (settings.strategy) {
    case 'none':
      return [];
    case 'onTheFly':
      return idpGroup.displayName === '' ? [] : [{ group: idpGroup.displayName, because: `${from} has the same name (on-the-fly)` }];
    case 'manual':
      return settings.manual.mappings.flatMap((mapping, index) =>
        mappingMatches(mapping, idpGroup)
          ? mapping.groups.map((group) => ({ group, because: `${from} maps to ${quote(group)} (manual mapping #${index + 1})` }))
          : [],
      );
  }
}

/** Why `group` may not be assigned from IdP groups, or undefined when it may. */
export function assignRefusal(group: string, settings: GroupSettings): string | undefined {
  const never = firstMatch(settings.neverAssign, group);
  if (never >= 0) return `${quote(group)} matches neverAssign entry #${never + 1} (${describeMatcher(settings.neverAssign[never])})`;
  if (settings.onlyAssign.length > 0 && firstMatch(settings.onlyAssign, group) < 0) return `${quote(group)} matches no onlyAssign entry`;
  return undefined;
}

/** Why Roster must keep the user's membership of `group`, or undefined when it may remove it. */
export function neverRemoveReason(group: string, settings: GroupSettings): string | undefined {
  const index = firstMatch(settings.neverRemove, group);
  return index < 0 ? undefined : `${quote(group)} is a never-remove group (entry #${index + 1}, ${describeMatcher(settings.neverRemove[index])})`;
}

/**
 * For `manual` with importEmptyMappedGroups: the directory groups the mappings point to from these
 * IdP groups (after onlyAssign/neverAssign), to create even while nobody is granted them. Otherwise [].
 */
export function mappedGroupsToCreate(idpGroups: readonly IdpGroup[], settings: GroupSettings): string[] {
  if (settings.strategy !== 'manual' || !settings.manual.importEmptyMappedGroups) return [];
  return assignableGroups(idpGroups, settings);
}

/**
 * The directory groups membership of `idpGroup` grants under the strategy, after onlyAssign and
 * neverAssign: what planMemberships grants for it, the same for every member.
 */
export function grantedGroups(idpGroup: IdpGroup, settings: GroupSettings): string[] {
  return assignableGroups([idpGroup], settings);
}

/** The directory groups the strategy's rules point to from these IdP groups, after onlyAssign and neverAssign. */
function assignableGroups(idpGroups: readonly IdpGroup[], settings: GroupSettings): string[] {
  const targets = idpGroups.flatMap((idpGroup) => ruleTargets(idpGroup, settings, 'IdP group'));
  return distinctGroups(targets.map((t) => t.group).filter((group) => assignRefusal(group, settings) === undefined));
}

