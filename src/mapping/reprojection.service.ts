// What a changed mapping does to the directory: a dry run that reports which directory users would
// change and how (nothing written), and the re-projection itself, in the background, batch by batch,
// with progress an admin can read. A newer mapping change supersedes a running job.
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { compileMapping, DirectoryField, evaluate, Evaluation, Mapping, sourceRecord } from '@roster/mapping-core';
import { DataSource } from 'typeorm';
import { groupSettingsOf, recordKindOf, settingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { projectRecord, reprojectStored } from '../directory/projection/user-projection';
import { ConnectorJob, ConnectorJobs } from '../jobs/connector-jobs';
import { MembershipSync } from '../group-sync/membership-sync.service';
import { RecordReason, recordReason, SyncTarget } from '../group-sync/sync-target';

const BATCH = 500;
const DRY_RUN_LISTED = 100;

/** Directory columns as the mapping's field names (the inverse of the projection's column map). */
const FIELD_SQL = `u.user_name AS username, u.email, u.display_name AS "displayName", u.given_name AS "firstName",
  u.family_name AS "lastName", u.active, u.external_id AS "externalId", u.phone, u.title, u.department, u.manager,
  u.employee_number AS "employeeNumber", u.attributes AS custom`;

export type ProjectionJob = ConnectorJob;

export interface DryRunChange {
  scimUserId: string;
  userName: string;
  directoryUserId: string | null;
  /** create: a new directory user; update: fields change; disable: dropped by a rule; skip: not mappable. */
  action: 'create' | 'update' | 'disable' | 'skip';
  fields?: Record<string, { from: unknown; to: unknown }>;
  reason?: string;
}

export interface DryRun {
  total: number;
  unchanged: number;
  counts: Record<DryRunChange['action'], number>;
  /** The first changes, in record order. */
  changes: DryRunChange[];
}

interface Row {
  id: string;
  data: Record<string, unknown>;
  directory_user_id: string | null;
  current: (Record<string, unknown> & { custom: Record<string, string> }) | null;
}

@Injectable()
export class ReprojectionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly jobRunner: ConnectorJobs;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipSync,
  ) {
    this.jobRunner = new ConnectorJobs(dataSource, 'mapping', 'change or reset the mapping');
  }

  /** Jobs that were running when the process stopped will not finish: say so. */
  onApplicationBootstrap(): Promise<void> {
    return this.jobRunner.markInterrupted();
  }

  async dryRun(connector: Connector, mapping: Mapping): Promise<DryRun> {
    const compiled = compileMapping(mapping);
    const result: DryRun = { total: 0, unchanged: 0, counts: { create: 0, update: 0, disable: 0, skip: 0 }, changes: [] };
    for await (const rows of this.batches(connector.id)) {
      for (const row of rows) {
        result.total++;
        const change = describe(row, evaluate(compiled, sourceRecord(recordKindOf(connector), row.data)));
        if (!change) {
          result.unchanged++;
          continue;
        }
        result.counts[change.action]++;
        if (result.changes.length < DRY_RUN_LISTED) result.changes.push(change);
      }
    }
    return result;
  }

  /** Starts re-projecting every stored user of the connector with `mapping`; returns the job at once. */
  start(connector: Connector, mapping: Mapping): Promise<ProjectionJob> {
    const compiled = compileMapping(mapping);
    const linking = settingsOf(connector).identityLinking ?? 'username';
    const base = { directoryId: connector.directoryId, connectorId: connector.id, linking };
    const target: SyncTarget = {
      connectorId: connector.id,
      directoryId: connector.directoryId,
      settings: groupSettingsOf(connector),
      actor: 'admin',
      reproject: (em, ref) => reprojectStored(em, base, compiled, ref, recordKindOf(connector)),
    };
    return this.jobRunner.start(connector.id, async (em, rows) => {
      const reasons = new Map<string, RecordReason | null>();
      for (const row of rows) {
        const evaluation = evaluate(compiled, sourceRecord(recordKindOf(connector), row.data));
        reasons.set(row.id, recordReason(evaluation, row.data));
        await projectRecord(em, { ...base, evaluation }, row.id);
      }
      // A record a rule now drops (or no longer drops) is a lifecycle event, decided as on a SCIM write.
      await this.memberships.sync(em, target, [...reasons.keys()], { recordReasons: reasons });
    });
  }

  job(connectorId: string, jobId: string): Promise<ProjectionJob | null> {
    return this.jobRunner.job(connectorId, jobId);
  }

  jobs(connectorId: string): Promise<ProjectionJob[]> {
    return this.jobRunner.list(connectorId);
  }

  /** Waits for running jobs (tests). */
  settled(): Promise<void> {
    return this.jobRunner.settled();
  }

  /** Running jobs stop at their next batch (a committed batch stays); they are marked interrupted at next start. */
  beforeApplicationShutdown(): Promise<void> {
    return this.jobRunner.stop();
  }

  private async *batches(connectorId: string): AsyncGenerator<Row[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Row[] = await this.dataSource.query(
        `SELECT r.id, r.data, s.user_id AS directory_user_id, CASE WHEN u.id IS NULL THEN NULL ELSE to_jsonb(cur) END AS current
         FROM scim_users r
         LEFT JOIN user_sources s ON s.connector_id = r.connector_id AND s.source_ref = r.id::text
         LEFT JOIN users u ON u.id = s.user_id
         LEFT JOIN LATERAL (SELECT ${FIELD_SQL}) cur ON true
         WHERE r.connector_id = $1 AND r.id > $2 ORDER BY r.id LIMIT ${BATCH}`,
        [connectorId, after],
      );
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1].id;
      if (rows.length < BATCH) return;
    }
  }
}


/** How one record's directory user would change; undefined when it would not. */
function describe(row: Row, evaluation: Evaluation): DryRunChange | undefined {
  const base = { scimUserId: row.id, userName: String(row.data.userName), directoryUserId: row.directory_user_id };
  if (evaluation.outcome !== 'mapped') {
    if (evaluation.outcome === 'skipped') return { ...base, action: 'skip', reason: evaluation.reason };
    return row.current && row.current.active !== false ? { ...base, action: 'disable', reason: evaluation.reason } : undefined;
  }
  const fields: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(evaluation.user.fields) as [DirectoryField, unknown][]) {
    const from = row.current ? (row.current[field] ?? null) : null;
    if (to !== undefined && from !== to) fields[field] = { from, to };
  }
  for (const [name, to] of Object.entries(evaluation.user.custom)) {
    const from = row.current?.custom?.[name] ?? null;
    if (from !== to) fields[`custom:${name}`] = { from, to };
  }
  if (!row.current) return { ...base, action: 'create', fields };
  return Object.keys(fields).length ? { ...base, action: 'update', fields } : undefined;
}
