// What a changed mapping does to the directory: a dry run that reports which directory users would
// change and how (nothing written), and the re-projection itself, in the background, batch by batch,
// with progress an admin can read. A newer mapping change supersedes a running job.
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CompiledMapping, compileMapping, DirectoryField, evaluate, Evaluation, Mapping } from '@roster/mapping-core';
import { DataSource, EntityManager } from 'typeorm';
import { groupSettingsOf, settingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { projectUserCtes } from '../directory/projection/user-projection';
import { MembershipSync } from '../group-sync/membership-sync.service';
import { RecordReason, recordReason, SyncTarget } from '../group-sync/sync-target';

const BATCH = 500;
const DRY_RUN_LISTED = 100;

/** Directory columns as the mapping's field names (the inverse of the projection's column map). */
const FIELD_SQL = `u.user_name AS username, u.email, u.display_name AS "displayName", u.given_name AS "firstName",
  u.family_name AS "lastName", u.active, u.external_id AS "externalId", u.phone, u.title, u.department, u.manager,
  u.employee_number AS "employeeNumber", u.attributes AS custom`;

export interface ProjectionJob {
  id: string;
  connectorId: string;
  status: 'running' | 'done' | 'failed' | 'superseded';
  total: number;
  processed: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

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
  private readonly logger = new Logger('Reprojection');
  /** The job each connector's latest mapping change started; an older job stops at its next batch. */
  private readonly latest = new Map<string, string>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly memberships: MembershipSync,
  ) {}

  /** Jobs that were running when the process stopped will not finish: say so. */
  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource.query(
      `UPDATE projection_jobs SET status = 'failed', error = 'interrupted: Roster stopped while the job ran; change or reset the mapping to run it again', finished_at = clock_timestamp()
       WHERE status = 'running'`,
    );
  }

  async dryRun(connector: Connector, mapping: Mapping): Promise<DryRun> {
    const compiled = compileMapping(mapping);
    const result: DryRun = { total: 0, unchanged: 0, counts: { create: 0, update: 0, disable: 0, skip: 0 }, changes: [] };
    for await (const rows of this.batches(connector.id)) {
      for (const row of rows) {
        result.total++;
        const change = describe(row, evaluate(compiled, { kind: 'scim', resource: row.data }));
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
  async start(connector: Connector, mapping: Mapping): Promise<ProjectionJob> {
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM scim_users WHERE connector_id = $1`, [connector.id]);
    const [job] = await this.dataSource.query(
      `WITH superseded AS (UPDATE projection_jobs SET status = 'superseded', finished_at = clock_timestamp() WHERE connector_id = $1 AND status = 'running')
       INSERT INTO projection_jobs (connector_id, status, total) VALUES ($1, 'running', $2) RETURNING id`,
      [connector.id, total],
    );
    this.latest.set(connector.id, job.id);
    const work = this.run(job.id, connector, compileMapping(mapping)).finally(() => this.running.delete(work));
    this.running.add(work);
    return this.job(connector.id, job.id) as Promise<ProjectionJob>;
  }

  async job(connectorId: string, jobId: string): Promise<ProjectionJob | null> {
    const [job] = await this.dataSource.query(`${JOB_SELECT} WHERE connector_id = $1 AND id::text = $2`, [connectorId, jobId]);
    return job ?? null;
  }

  jobs(connectorId: string): Promise<ProjectionJob[]> {
    return this.dataSource.query(`${JOB_SELECT} WHERE connector_id = $1 ORDER BY started_at DESC LIMIT 20`, [connectorId]);
  }

  /** Waits for running jobs (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** Running jobs stop at their next batch (a committed batch stays); they are marked interrupted at next start. */
  async beforeApplicationShutdown(): Promise<void> {
    this.latest.clear();
    await this.settled();
  }

  private async run(jobId: string, connector: Connector, compiled: CompiledMapping): Promise<void> {
    const linking = settingsOf(connector).identityLinking ?? 'username';
    const project = async (em: EntityManager, ref: string, evaluation: Evaluation) => {
      const ctes = projectUserCtes({ directoryId: connector.directoryId, connectorId: connector.id, linking, evaluation }, '$1::text', 2);
      if (ctes) await em.query(`WITH ${ctes.sql} SELECT 1`, [ref, ...ctes.params]);
    };
    const target: SyncTarget = {
      connectorId: connector.id,
      directoryId: connector.directoryId,
      settings: groupSettingsOf(connector),
      actor: 'admin',
      reproject: async (em, ref) => {
        const [row] = await em.query(`SELECT data FROM scim_users WHERE connector_id = $1 AND id = $2`, [connector.id, ref]);
        if (row) await project(em, ref, evaluate(compiled, { kind: 'scim', resource: row.data }));
      },
    };
    let after = '00000000-0000-0000-0000-000000000000';
    try {
      for (;;) {
        if (this.latest.get(connector.id) !== jobId) return;
        // Each batch holds its records' row locks, so a SCIM write to one of them waits and then
        // projects its own, newer state after this batch.
        const done = await this.dataSource.transaction(async (em) => {
          const rows: { id: string; data: Record<string, unknown> }[] = await em.query(
            `SELECT id, data FROM scim_users WHERE connector_id = $1 AND id > $2 ORDER BY id LIMIT ${BATCH} FOR UPDATE`,
            [connector.id, after],
          );
          const reasons = new Map<string, RecordReason | null>();
          for (const row of rows) {
            const evaluation = evaluate(compiled, { kind: 'scim', resource: row.data });
            reasons.set(row.id, recordReason(evaluation, row.data));
            await project(em, row.id, evaluation);
          }
          // A record a rule now drops (or no longer drops) is a lifecycle event, decided as on a SCIM write.
          await this.memberships.sync(em, target, [...reasons.keys()], { recordReasons: reasons });
          if (rows.length) {
            after = rows[rows.length - 1].id;
            await em.query(`UPDATE projection_jobs SET processed = processed + $2 WHERE id = $1`, [jobId, rows.length]);
          }
          return rows.length < BATCH;
        });
        if (done) break;
      }
      await this.dataSource.query(`UPDATE projection_jobs SET status = 'done', finished_at = clock_timestamp() WHERE id = $1 AND status = 'running'`, [jobId]);
    } catch (error) {
      this.logger.error({ msg: 'Re-projection failed', jobId, connectorId: connector.id, err: error });
      await this.dataSource
        .query(`UPDATE projection_jobs SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = $1`, [jobId, String((error as Error).message ?? error)])
        .catch(() => undefined);
    }
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

const JOB_SELECT = `SELECT id, connector_id AS "connectorId", status, total, processed, error, started_at AS "startedAt", finished_at AS "finishedAt" FROM projection_jobs`;

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
