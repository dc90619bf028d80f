// Scheduled LDAP syncs: once a minute, each enabled LDAP connector whose `syncIntervalMinutes` has
// passed since its last sync is synced. Several Roster instances may run this: a connector is claimed
// for a run in a short transaction under an advisory lock that records the claim, so one instance
// syncs it per interval. A failed run is an audit event and a warning in the log, and is tried again
// at the next interval.
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AdminContext } from '../common/request-context';
import { LdapService } from './ldap.service';

const TICK_MS = 60_000;

@Injectable()
export class LdapScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LdapScheduler');
  private timer?: NodeJS.Timeout;
  private ticking: Promise<string[]> = Promise.resolve([]);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ldap: LdapService,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick());
    }, TICK_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** Syncs every connector that is due; returns their ids. */
  async tick(): Promise<string[]> {
    const due: { id: string; minutes: number }[] = await this.dataSource.query(
      `SELECT id::text AS id, (settings->'ldap'->>'syncIntervalMinutes')::int AS minutes FROM connectors
       WHERE protocol = 'ldap' AND enabled AND coalesce((settings->'ldap'->>'syncIntervalMinutes')::int, 0) > 0 ORDER BY created_at, id`,
    );
    const synced: string[] = [];
    for (const { id, minutes } of due) {
      const ctx: AdminContext = { actor: 'scheduler', requestId: `ldap-schedule-${randomUUID()}` };
      if (!(await this.claim(ctx, id, minutes))) continue;
      try {
        await this.ldap.sync(ctx, id);
        synced.push(id);
      } catch (error) {
        const message = (error as Error).message;
        this.logger.warn({ msg: 'Scheduled LDAP sync failed', connectorId: id, error: message });
        await this.audit.record({ actor: ctx.actor, requestId: ctx.requestId, connectorId: id, targetType: 'connector', targetId: id, action: 'connector.ldap_sync_failed', details: { message } });
      }
    }
    return synced;
  }

  /** Claims the connector's run for this interval, unless its last sync or claim is more recent. */
  private claim(ctx: AdminContext, connectorId: string, minutes: number): Promise<boolean> {
    return this.dataSource.transaction(async (em) => {
      const [{ locked }] = await em.query(`SELECT pg_try_advisory_xact_lock(hashtext('roster.ldap-schedule:' || $1)) AS locked`, [connectorId]);
      if (!locked) return false;
      // Newest first, it stops at the last run's closing event (a sync ends with connector.ldap_synced).
      const [last]: { recent: boolean }[] = await em.query(
        `SELECT occurred_at > now() - make_interval(mins => $2) AS recent FROM audit_events
         WHERE connector_id = $1 AND action IN ('connector.ldap_synced', 'connector.ldap_sync_scheduled') ORDER BY id DESC LIMIT 1`,
        [connectorId, minutes],
      );
      if (last?.recent) return false;
      await this.audit.record({ actor: ctx.actor, requestId: ctx.requestId, connectorId, targetType: 'connector', targetId: connectorId, action: 'connector.ldap_sync_scheduled', details: { everyMinutes: minutes } }, em);
      return true;
    });
  }
}
