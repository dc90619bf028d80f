// explainMembership: why a user is in a directory group, one reason per grant, for the `why` endpoint.
// Decisions: each connector's grant is explained by re-running that connector's current rules on the
// user's IdP groups (the same evaluation the planner uses), so the text names the rule that grants it
// today, or says why the next evaluation will remove it, or what keeps it; grants of one user and one
// group are expected, deduplicated by source.
import { grantKey, type Grant, type IdpGroup, type Source } from './grants';
import { evaluateRules, protection, staleReason } from './evaluation';
import { quote } from './matchers';
import type { GroupSettings } from './settings';

/** What explaining a connector's grants needs: its display name, its settings, the user's groups there. */
export interface ConnectorContext {
  name: string;
  settings: GroupSettings;
  /** The user's groups at this connector's IdP (or LDAP server), as last received. */
  idpGroups: readonly IdpGroup[];
}

export interface MembershipReason {
  source: Source;
  reason: string;
  /** False when the next evaluation of its connector removes this grant. */
  lasting: boolean;
}

/**
 * Reasons for the grants of one user in one directory group. `connectors` maps connector ids to their
 * context; a grant from a connector missing there is reported as coming from a removed connector.
 */
export function explainMembership(grants: readonly Grant[], connectors: Readonly<Record<string, ConnectorContext>>): MembershipReason[] {
  const byKey = new Map<string, Grant>();
  for (const grant of grants) if (!byKey.has(grantKey(grant))) byKey.set(grantKey(grant), grant);
  return [...byKey.values()].map((grant) => ({ source: grant.source, ...explainGrant(grant, connectors) }));
}

function explainGrant(grant: Grant, connectors: Readonly<Record<string, ConnectorContext>>): { reason: string; lasting: boolean } {
  const { source } = grant;
  if (source.kind === 'admin') return { reason: 'added by an admin', lasting: true };
  const connector = connectors[source.connectorId];
  if (connector === undefined) return { reason: `granted by connector ${source.connectorId}, which is no longer configured`, lasting: true };

  const by = `granted by ${source.kind === 'ldap' ? 'LDAP connector' : 'connector'} ${quote(connector.name)}`;
  if (source.kind === 'default' && source.rule === 'newUsers') {
    return { reason: `${by} when the user was created, as ${quote(grant.group)} was a default group for new users`, lasting: true };
  }
  const evaluation = evaluateRules({
    connectorId: source.connectorId,
    settings: connector.settings,
    userId: grant.userId,
    isNew: false,
    idpGroups: connector.idpGroups,
    groupSourceKind: source.kind === 'ldap' ? 'ldap' : 'connector',
  });
  const wanted = evaluation.wanted.get(grantKey(grant));
  if (wanted !== undefined) return { reason: `${by} because ${wanted.because}`, lasting: true };
  const why = staleReason(grant, evaluation);
  const keep = protection(grant, connector.settings);
  return keep === undefined
    ? { reason: `${by}; ${why}, so the next evaluation removes it`, lasting: false }
    : { reason: `${by}; ${why}, but ${keep}`, lasting: true };
}
