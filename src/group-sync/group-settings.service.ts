// A connector's group-sync and lifecycle settings for admins: read, replace (validated, then applied
// to every stored user in the background), reset, and a dry run of a candidate that reports which
// memberships and users it would touch without writing anything.
import { Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { defaultGroupSettings, GroupSettings } from '@roster/group-rules';
import { DataSource } from 'typeorm';
import { AdminContext } from '../common/request-context';
import { checkedGroupSettings, groupSettingsOf, recordKindOf, settingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { ConnectorsService } from '../connectors/connectors.service';
import { DomainError } from '../common/domain-error';
import { reprojectStored } from '../directory/projection/user-projection';
import { ConnectorJob, ConnectorJobs } from '../jobs/connector-jobs';
import { MappingService } from '../mapping/mapping.service';
import { MembershipSync, PlannedChange } from './membership-sync.service';
import { SyncTarget } from './sync-target';

const DRY_RUN_BATCH = 500;
const DRY_RUN_LISTED = 100;

export interface ConnectorGroupSettings {
  settings: GroupSettings;
  /** `default`: no admin has set them; `custom`: an admin has. */
  origin: 'default' | 'custom';
  /** The background re-evaluation a change started (only in the answer to that change). */
  job?: ConnectorJob;
}

export interface GroupSettingsDryRun {
  /** Stored users of the connector evaluated. */
  users: number;
  /** Users whose memberships or scope would change. */
  changedUsers: number;
  grants: number;
  revokes: number;
  /** Directory groups that do not exist yet and would be created. */
  groupsToCreate: string[];
  leavesScope: number;
  returnsScope: number;
  /** The first changes, in record order. */
  changes: (PlannedChange & { userName: string })[];
}

@Injectable()
export class GroupSettingsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly jobRunner: ConnectorJobs;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectors: ConnectorsService,
    private readonly memberships: MembershipSync,
    private readonly moduleRef: ModuleRef,
  ) {
    this.jobRunner = new ConnectorJobs(dataSource, 'groups', 'save the group settings again');
  }

  onApplicationBootstrap(): Promise<void> {
    return this.jobRunner.markInterrupted();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.jobRunner.stop();
  }

  async get(connectorId: string): Promise<ConnectorGroupSettings> {
    return describe(await this.connectors.get(connectorId));
  }

  async replace(ctx: AdminContext, connectorId: string, input: unknown): Promise<ConnectorGroupSettings> {
    const settings = checkedGroupSettings(input);
    const connector = await this.connectors.setSetting(ctx, connectorId, 'groupSync', settings, 'connector.group_settings_replaced');
    return { ...describe(connector), job: await this.apply(connector, settings) };
  }

  async reset(ctx: AdminContext, connectorId: string): Promise<ConnectorGroupSettings> {
    const connector = await this.connectors.setSetting(ctx, connectorId, 'groupSync', undefined, 'connector.group_settings_reset');
    return { ...describe(connector), job: await this.apply(connector, defaultGroupSettings()) };
  }

  /** What replacing the settings with `input` would change, user by user; nothing is written. */
  async dryRun(connectorId: string, input: unknown): Promise<GroupSettingsDryRun> {
    const connector = await this.connectors.get(connectorId);
    const target = this.target(connector, checkedGroupSettings(input));
    const result: GroupSettingsDryRun = { users: 0, changedUsers: 0, grants: 0, revokes: 0, groupsToCreate: [], leavesScope: 0, returnsScope: 0, changes: [] };
    const granted = new Set<string>();
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; user_name: string }[] = await this.dataSource.query(
        `SELECT id::text AS id, user_name FROM scim_users WHERE connector_id = $1 AND id > $2 ORDER BY id LIMIT ${DRY_RUN_BATCH}`,
        [connectorId, after],
      );
      result.users += rows.length;
      const names = new Map(rows.map((r) => [r.id, r.user_name]));
      for (const change of await this.memberships.preview(this.dataSource.manager, target, rows.map((r) => r.id))) {
        result.changedUsers++;
        result.grants += change.grant.length;
        result.revokes += change.revoke.length;
        if (change.scope === 'leaves') result.leavesScope++;
        if (change.scope === 'returns') result.returnsScope++;
        for (const g of change.grant) granted.add(g.group);
        if (result.changes.length < DRY_RUN_LISTED) result.changes.push({ ...change, userName: names.get(change.sourceRef) ?? '' });
      }
      if (rows.length < DRY_RUN_BATCH) break;
      after = rows[rows.length - 1].id;
    }
    const existing: { key: string }[] = await this.dataSource.query(`SELECT lower(display_name) AS key FROM groups WHERE directory_id = $1 AND lower(display_name) = ANY($2::text[])`, [
      connector.directoryId,
      [...granted].map((g) => g.toLowerCase()),
    ]);
    const exists = new Set(existing.map((e) => e.key));
    result.groupsToCreate = [...new Map([...granted].filter((g) => !exists.has(g.toLowerCase())).map((g) => [g.toLowerCase(), g])).values()];
    return result;
  }

  async jobs(connectorId: string): Promise<ConnectorJob[]> {
    await this.connectors.get(connectorId);
    return this.jobRunner.list(connectorId);
  }

  async job(connectorId: string, jobId: string): Promise<ConnectorJob> {
    const job = await this.jobRunner.job(connectorId, jobId);
    if (!job) throw DomainError.notFound('Group sync job', jobId);
    return job;
  }

  /** Waits for running jobs (tests). */
  settled(): Promise<void> {
    return this.jobRunner.settled();
  }

  /** Re-evaluates every stored user under the connector's current settings (after a configuration import). */
  reevaluate(connector: Connector): Promise<ConnectorJob> {
    return this.apply(connector, groupSettingsOf(connector));
  }

  /** Re-evaluates every stored user of the connector under `settings`, in the background. */
  private apply(connector: Connector, settings: GroupSettings): Promise<ConnectorJob> {
    const target = this.target(connector, settings);
    return this.jobRunner.start(connector.id, async (em, rows) => {
      await this.memberships.sync(em, target, rows.map((r) => r.id));
    });
  }

  private target(connector: Connector, settings: GroupSettings): SyncTarget {
    const base = { directoryId: connector.directoryId, connectorId: connector.id, linking: settingsOf(connector).identityLinking ?? 'username' };
    return {
      connectorId: connector.id,
      directoryId: connector.directoryId,
      settings,
      actor: 'admin',
      // MappingModule imports this module, so its service is looked up when needed rather than injected.
      reproject: async (em, ref) => reprojectStored(em, base, await this.moduleRef.get(MappingService, { strict: false }).compiledFor(connector), ref, recordKindOf(connector)),
    };
  }
}

function describe(connector: Connector): ConnectorGroupSettings {
  return { settings: groupSettingsOf(connector), origin: settingsOf(connector).groupSync ? 'custom' : 'default' };
}
