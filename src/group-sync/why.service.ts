// Why a directory user is in a directory group: every grant behind the membership, each explained by
// re-running its connector's current rules on the user's IdP groups there (@roster/group-rules
// explainMembership), so the answer names the rule that grants it today, or says that the next
// evaluation removes it, or what keeps it.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConnectorContext, explainMembership, type IdpGroup, type MembershipReason } from '@roster/group-rules';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/uuid';
import { groupSettingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { GRANT_COLUMNS, GRANTS_FROM, GrantRow, toGrant } from './grant-rows';
import { MembershipSync } from './membership-sync.service';

export interface MembershipWhy {
  userId: string;
  groupId: string;
  group: string;
  member: boolean;
  reasons: (MembershipReason & { connectorName: string | null; grantedAt: Date })[];
}

@Injectable()
export class WhyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipSync,
  ) {}

  async explain(directoryId: string, userId: string, groupId: string): Promise<MembershipWhy> {
    const em = this.dataSource.manager;
    const [group] = isUuid(groupId) ? await em.query(`SELECT display_name FROM groups WHERE directory_id = $1 AND id = $2`, [directoryId, groupId]) : [];
    if (!group) throw DomainError.notFound('Group', groupId);
    const [user] = isUuid(userId) ? await em.query(`SELECT 1 FROM users WHERE directory_id = $1 AND id = $2`, [directoryId, userId]) : [];
    if (!user) throw DomainError.notFound('User', userId);

    const rows: (GrantRow & { created_at: Date })[] = await em.query(
      `SELECT ${GRANT_COLUMNS}, ms.created_at FROM ${GRANTS_FROM} WHERE ms.user_id = $1 AND ms.group_id = $2 ORDER BY ms.id`,
      [userId, groupId],
    );
    const connectorIds = [...new Set(rows.map((r) => r.source_connector_id).filter((id): id is string => id !== null))];
    const connectors: Connector[] = connectorIds.length ? await em.getRepository(Connector).createQueryBuilder('c').where('c.id IN (:...ids)', { ids: connectorIds }).getMany() : [];
    const contexts: Record<string, ConnectorContext> = {};
    for (const connector of connectors) {
      contexts[connector.id] = { name: connector.name, settings: groupSettingsOf(connector), idpGroups: await this.idpGroups(connector.id, userId) };
    }
    const grants = rows.map(toGrant);
    const reasons = explainMembership(grants, contexts);
    return {
      userId,
      groupId,
      group: group.display_name,
      member: rows.length > 0,
      reasons: reasons.map((reason, i) => {
        const connectorId = 'connectorId' in reason.source ? reason.source.connectorId : undefined;
        return { ...reason, connectorName: (connectorId && contexts[connectorId]?.name) || null, grantedAt: rows[i].created_at };
      }),
    };
  }

  /** The user's IdP groups at a connector: those of every record of that connector linked to the user. */
  private async idpGroups(connectorId: string, userId: string): Promise<IdpGroup[]> {
    const links: { ref: string }[] = await this.dataSource.query(`SELECT source_ref AS ref FROM user_sources WHERE connector_id = $1 AND user_id = $2`, [connectorId, userId]);
    const byRef = await this.memberships.idpGroupsOf(this.dataSource.manager, connectorId, links.map((l) => l.ref));
    return [...byRef.values()].flat();
  }
}
