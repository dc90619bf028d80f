// The brake's holds for admins: what is held and why, and the decision. Approving applies each held
// deprovision as the connector's lifecycle settings say now (a user the IdP reactivated meanwhile is
// left alone); discarding leaves the directory as it is, and those users stay until their IdP
// reports a new deactivation or deletion.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decideLifecycle, type LifecycleEventType } from '@roster/group-rules';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { AdminContext } from '../common/request-context';
import { groupSettingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { connectorAuditBase, ConnectorsService } from '../connectors/connectors.service';
import { LifecycleService } from './lifecycle.service';

export interface HeldChange {
  userId: string;
  username: string | null;
  sourceRef: string;
  event: string;
  action: string;
  status: 'held' | 'approved' | 'discarded';
  reason: string;
  createdAt: Date;
}

export interface Hold {
  id: string;
  connectorId: string;
  status: 'open' | 'approved' | 'discarded';
  reason: string;
  held: number;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  changes?: HeldChange[];
}

const HOLD_SELECT = `SELECT h.id, h.connector_id AS "connectorId", h.status, h.reason, h.created_at AS "createdAt", h.decided_at AS "decidedAt",
  h.decided_by AS "decidedBy", (SELECT count(*)::int FROM deprovisions d WHERE d.hold_id = h.id) AS held FROM deprovision_holds h`;

@Injectable()
export class HoldsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectors: ConnectorsService,
    private readonly lifecycle: LifecycleService,
    private readonly audit: AuditService,
  ) {}

  async list(connectorId: string): Promise<Hold[]> {
    await this.connectors.get(connectorId);
    return this.dataSource.query(`${HOLD_SELECT} WHERE h.connector_id = $1 ORDER BY h.created_at DESC LIMIT 50`, [connectorId]);
  }

  async get(connectorId: string, holdId: string): Promise<Hold> {
    await this.connectors.get(connectorId);
    return this.read(this.dataSource.manager, connectorId, holdId);
  }

  async approve(ctx: AdminContext, connectorId: string, holdId: string): Promise<Hold> {
    const connector = await this.connectors.get(connectorId);
    const settings = groupSettingsOf(connector);
    return this.decide(ctx, connector, holdId, 'approved', async (em, held) => {
      const target = { connectorId, directoryId: connector.directoryId, settings, actor: ctx.actor, requestId: ctx.requestId };
      for (const change of held) {
        const [link] = await em.query(`SELECT lifecycle_action FROM user_sources WHERE connector_id = $1 AND source_ref = $2 FOR UPDATE`, [connectorId, change.sourceRef]);
        // Deletions have no link left; anything else must still be waiting on this hold.
        if (change.event !== 'deleted' && link?.lifecycle_action !== 'held') continue;
        const grants = await this.lifecycle.grants(em, change.userId);
        const [user] = await em.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [change.userId]);
        if (!user) continue;
        const decision = decideLifecycle({ type: change.event as LifecycleEventType, connectorId, grants: grants.map((g) => g.grant) }, settings);
        const action = decision.action === 'enable' ? 'keep' : decision.action;
        // The settings now say keep: the link must not stay `held` on a decided hold.
        if (action !== 'keep') await this.lifecycle.apply(em, target, change.userId, decision, grants, change.event as LifecycleEventType);
        if (link) await em.query(`UPDATE user_sources SET lifecycle_action = $3 WHERE connector_id = $1 AND source_ref = $2`, [connectorId, change.sourceRef, action]);
      }
    });
  }

  discard(ctx: AdminContext, connectorId: string, holdId: string): Promise<Hold> {
    return this.connectors.get(connectorId).then((connector) =>
      this.decide(ctx, connector, holdId, 'discarded', async (em) => {
        await em.query(
          `UPDATE user_sources s SET lifecycle_action = NULL FROM deprovisions d
           WHERE d.hold_id = $1 AND s.connector_id = d.connector_id AND s.source_ref = d.source_ref AND s.lifecycle_action = 'held'`,
          [holdId],
        );
      }),
    );
  }

  private async decide(
    ctx: AdminContext,
    connector: Connector,
    holdId: string,
    status: 'approved' | 'discarded',
    work: (em: EntityManager, held: HeldChange[]) => Promise<void>,
  ): Promise<Hold> {
    return this.dataSource.transaction(async (em) => {
      // Locks in the order SCIM writes take them: the held records' links and directory users first,
      // then the brake's. A SCIM write deprovisioning a held user (an IdP deleting a user it deactivated)
      // holds its rows while it waits for the brake; taking the brake first deadlocked with it.
      const pending = await this.read(em, connector.id, holdId);
      if (pending.status !== 'open') throw DomainError.conflict(`Hold ${holdId} was already ${pending.status}`);
      const locked = await this.lockRecords(em, connector.id, pending.changes!, new Set());
      // The brake's lock: no deprovision joins the hold while it is being decided.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('roster.brake:' || $1))`, [connector.id]);
      const hold = await this.read(em, connector.id, holdId);
      if (hold.status !== 'open') throw DomainError.conflict(`Hold ${holdId} was already ${hold.status}`);
      // Deprovisions that joined meanwhile held the brake's lock, so their writes have committed.
      await this.lockRecords(em, connector.id, hold.changes!, locked);
      await work(em, hold.changes!);
      await em.query(`UPDATE deprovisions SET status = $2 WHERE hold_id = $1`, [holdId, status]);
      await em.query(`UPDATE deprovision_holds SET status = $2, decided_at = clock_timestamp(), decided_by = $3 WHERE id = $1`, [holdId, status, ctx.actor]);
      await this.audit.record(
        { ...connectorAuditBase(ctx, connector), action: `connector.hold_${status}`, targetType: 'deprovision_hold', targetId: holdId, details: { held: hold.held } },
        em,
      );
      return this.read(em, connector.id, holdId);
    });
  }

  /** Row-locks the changes' links, then their directory users, each in id order as SCIM writes do; skips those in `locked`. */
  private async lockRecords(em: EntityManager, connectorId: string, changes: HeldChange[], locked: Set<string>): Promise<Set<string>> {
    const fresh = changes.filter((c) => !locked.has(`${c.sourceRef}/${c.userId}`));
    if (fresh.length) {
      await em.query(`SELECT 1 FROM user_sources WHERE connector_id = $1 AND source_ref = ANY($2::text[]) ORDER BY user_id FOR UPDATE`, [
        connectorId,
        [...new Set(fresh.map((c) => c.sourceRef))],
      ]);
      await em.query(`SELECT 1 FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [[...new Set(fresh.map((c) => c.userId))]]);
    }
    return new Set([...locked, ...fresh.map((c) => `${c.sourceRef}/${c.userId}`)]);
  }

  private async read(em: EntityManager, connectorId: string, holdId: string): Promise<Hold> {
    const [hold]: Hold[] = await em.query(`${HOLD_SELECT} WHERE h.connector_id = $1 AND h.id::text = $2`, [connectorId, holdId]);
    if (!hold) throw DomainError.notFound('Hold', holdId);
    hold.changes = await em.query(
      `SELECT d.user_id AS "userId", u.user_name AS username, d.source_ref AS "sourceRef", d.event, d.action, d.status, d.reason, d.created_at AS "createdAt"
       FROM deprovisions d LEFT JOIN users u ON u.id = d.user_id WHERE d.hold_id = $1 ORDER BY d.id`,
      [holdId],
    );
    return hold;
  }
}
