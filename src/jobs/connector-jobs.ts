// Background jobs over all of a connector's records, with progress in projection_jobs: a mapping
// change re-projects users (kind `mapping`), a group-settings change re-plans memberships (kind
// `groups`). Decisions: a connector runs one job of a kind at a time, and a newer one supersedes a
// running one, which stops at its next batch (a committed batch stays); jobs still `running` when the
// process starts were interrupted and are marked failed; the work runs batch by batch over scim_users
// in id order, each batch in its own transaction.
import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export type JobKind = 'mapping' | 'groups';

export interface ConnectorJob {
  id: string;
  connectorId: string;
  kind: JobKind;
  status: 'running' | 'done' | 'failed' | 'superseded';
  total: number;
  processed: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const BATCH = 500;
const JOB_SELECT = `SELECT id, connector_id AS "connectorId", kind, status, total, processed, error, started_at AS "startedAt", finished_at AS "finishedAt" FROM projection_jobs`;

/** One batch of the connector's SCIM user records. */
export type BatchWork = (em: EntityManager, rows: { id: string; data: Record<string, unknown> }[]) => Promise<void>;

export class ConnectorJobs {
  private readonly logger: Logger;
  /** The job each connector's latest change started; an older job stops at its next batch. */
  private readonly latest = new Map<string, string>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly kind: JobKind,
    /** What to do again when an interrupted job is reported. */
    private readonly rerun: string,
  ) {
    this.logger = new Logger(`Jobs:${kind}`);
  }

  async markInterrupted(): Promise<void> {
    await this.dataSource.query(
      `UPDATE projection_jobs SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE status = 'running' AND kind = $1`,
      [this.kind, `interrupted: Roster stopped while the job ran; ${this.rerun} to run it again`],
    );
  }

  /** Starts `work` over every SCIM user of the connector, batch by batch; returns the job at once. */
  async start(connectorId: string, work: BatchWork): Promise<ConnectorJob> {
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM scim_users WHERE connector_id = $1`, [connectorId]);
    const [job] = await this.dataSource.query(
      `WITH superseded AS (UPDATE projection_jobs SET status = 'superseded', finished_at = clock_timestamp() WHERE connector_id = $1 AND kind = $2 AND status = 'running')
       INSERT INTO projection_jobs (connector_id, kind, status, total) VALUES ($1, $2, 'running', $3) RETURNING id`,
      [connectorId, this.kind, total],
    );
    this.latest.set(connectorId, job.id);
    const run = this.run(job.id, connectorId, work).finally(() => this.running.delete(run));
    this.running.add(run);
    return (await this.job(connectorId, job.id))!;
  }

  async job(connectorId: string, jobId: string): Promise<ConnectorJob | null> {
    const [job] = await this.dataSource.query(`${JOB_SELECT} WHERE connector_id = $1 AND kind = $2 AND id::text = $3`, [connectorId, this.kind, jobId]);
    return job ?? null;
  }

  list(connectorId: string): Promise<ConnectorJob[]> {
    return this.dataSource.query(`${JOB_SELECT} WHERE connector_id = $1 AND kind = $2 ORDER BY started_at DESC LIMIT 20`, [connectorId, this.kind]);
  }

  /** Waits for running jobs (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** Running jobs stop at their next batch; they are marked interrupted at next start. */
  async stop(): Promise<void> {
    this.latest.clear();
    await this.settled();
  }

  private async run(jobId: string, connectorId: string, work: BatchWork): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    try {
      for (;;) {
        if (this.latest.get(connectorId) !== jobId) return;
        // Each batch holds its records' row locks, so a SCIM write to one of them waits and then
        // applies its own, newer state after this batch.
        const done = await this.dataSource.transaction(async (em) => {
          const rows: { id: string; data: Record<string, unknown> }[] = await em.query(
            `SELECT id, data FROM scim_users WHERE connector_id = $1 AND id > $2 ORDER BY id LIMIT ${BATCH} FOR UPDATE`,
            [connectorId, after],
          );
          if (rows.length) {
            await work(em, rows);
            after = rows[rows.length - 1].id;
            await em.query(`UPDATE projection_jobs SET processed = processed + $2 WHERE id = $1`, [jobId, rows.length]);
          }
          return rows.length < BATCH;
        });
        if (done) break;
      }
      await this.dataSource.query(`UPDATE projection_jobs SET status = 'done', finished_at = clock_timestamp() WHERE id = $1 AND status = 'running'`, [jobId]);
    } catch (error) {
      this.logger.error({ msg: 'Background job failed', jobId, connectorId, err: error });
      await this.dataSource
        .query(`UPDATE projection_jobs SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = $1`, [jobId, String((error as Error).message ?? error)])
        .catch(() => undefined);
    }
  }
}
