// One connector's rules evaluated for one user: the grants they want, each with its reason, and why a
// grant they no longer want should go or must stay. Internal: planMemberships turns this into a plan,
// explainMembership into reasons, so both always agree. Decisions on what counts as stale or protected
// are documented on planMemberships (plan.ts).
import { groupSource, grantKey, hasUnknownProvenance, sourceGroupName, type Grant, type GroupSourceKind, type IdpGroup, type Source } from './grants';
import { nameKey, quote, sameName } from './matchers';
import { assignRefusal, neverRemoveReason, ruleTargets } from './rules';
import type { GroupSettings } from './settings';

export interface RuleInput {
  connectorId: string;
  settings: GroupSettings;
  userId: string;
  isNew: boolean;
  idpGroups: readonly IdpGroup[];
  groupSourceKind: GroupSourceKind;
}

export interface WantedGrant {
  grant: Grant;
  because: string;
}

export interface ExcludedGrant {
  grant: Grant;
  reason: string;
}

export interface Evaluation {
  settings: GroupSettings;
  /** "IdP group" or "LDAP group", for explanations. */
  label: string;
  /** The user's IdP groups by case-insensitive name. */
  idpGroups: ReadonlyMap<string, IdpGroup>;
  /** By grant key, in rule order: IdP-group rules first, then default groups. */
  wanted: ReadonlyMap<string, WantedGrant>;
  /** Grants a rule led to but onlyAssign/neverAssign refused. */
  excluded: readonly ExcludedGrant[];
}

export function evaluateRules(input: RuleInput): Evaluation {
  const { connectorId, settings, userId } = input;
  const label = input.groupSourceKind === 'ldap' ? 'LDAP group' : 'IdP group';
  const idpGroups = new Map<string, IdpGroup>();
  for (const idpGroup of input.idpGroups) if (!idpGroups.has(nameKey(idpGroup.displayName))) idpGroups.set(nameKey(idpGroup.displayName), idpGroup);

  const wanted = new Map<string, WantedGrant>();
  const excluded: ExcludedGrant[] = [];
  const want = (group: string, source: Source, because: string) => {
    const grant: Grant = { userId, group, source };
    if (!wanted.has(grantKey(grant))) wanted.set(grantKey(grant), { grant, because });
  };
  for (const idpGroup of idpGroups.values()) {
    const source = groupSource(input.groupSourceKind, connectorId, idpGroup.displayName);
    for (const target of ruleTargets(idpGroup, settings, label)) {
      const refusal = assignRefusal(target.group, settings);
      if (refusal === undefined) want(target.group, source, target.because);
      else excluded.push({ grant: { userId, group: target.group, source }, reason: `${target.because}, but ${refusal}` });
    }
  }
  for (const group of settings.defaultGroups.allUsers) {
    want(group, { kind: 'default', connectorId, rule: 'allUsers' }, `${quote(group)} is a default group for all users`);
  }
  if (input.isNew) {
    for (const group of settings.defaultGroups.newUsers) {
      want(group, { kind: 'default', connectorId, rule: 'newUsers' }, `${quote(group)} is a default group for new users`);
    }
  }
  return { settings, label, idpGroups, wanted, excluded };
}

/**
 * Why a grant this connector owns but no longer wants should go; undefined for grants planning never
 * revokes (default groups for new users are a one-time grant).
 */
export function staleReason(grant: Grant, evaluation: Evaluation): string | undefined {
  const { source, group } = grant;
  const { settings, label } = evaluation;
  if (source.kind === 'default') {
    return source.rule === 'allUsers' ? `${quote(group)} is no longer a default group for all users` : undefined;
  }
  const idpName = sourceGroupName(source);
  if (idpName === undefined) return undefined;
  if (hasUnknownProvenance(source)) {
    const regranted = [...evaluation.wanted.values()].some((w) => sameName(w.grant.group, group));
    return `${quote(group)} was granted before provenance was recorded${regranted ? ' and is now granted with its provenance' : ' and no rule grants it now'}`;
  }
  const idpGroup = evaluation.idpGroups.get(nameKey(idpName));
  if (idpGroup === undefined) return `the user is no longer in ${label} ${quote(idpName)}`;
  const target = ruleTargets(idpGroup, settings, label).find((t) => sameName(t.group, group));
  const refusal = target && assignRefusal(target.group, settings);
  if (target === undefined || refusal === undefined) return `${label} ${quote(idpName)} no longer leads to ${quote(group)} (strategy '${settings.strategy}')`;
  return `${target.because}, but ${refusal}`;
}

/** Why a stale grant this connector owns must stay, or undefined when it may be revoked. */
export function protection(grant: Grant, settings: GroupSettings): string | undefined {
  const neverRemove = neverRemoveReason(grant.group, settings);
  if (neverRemove !== undefined) return neverRemove;
  if (settings.keepExistingMemberships && hasUnknownProvenance(grant.source)) return 'keepExistingMemberships keeps grants of unknown provenance';
  return undefined;
}
