// Configuration backup and restore: the whole configuration out as one JSON document, and back in
// (to this instance or a new one) in one transaction. An import creates what the document has and
// this instance lacks, updates what differs, and touches nothing the document leaves out; a dry run
// answers the same report and writes nothing.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mapping } from '@roster/mapping-core';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { isUniqueViolation } from '../common/pg-errors';
import { AdminContext } from '../common/request-context';
import { ConnectorSettings } from '../connectors/connector-settings';
import { ConnectorsService } from '../connectors/connectors.service';
import { GroupSettingsService } from '../group-sync/group-settings.service';
import { ConnectorJob } from '../jobs/connector-jobs';
import { MappingService } from '../mapping/mapping.service';
import { ProjectionJob, ReprojectionService } from '../mapping/reprojection.service';
import { checkedConfigDocument, CONFIG_FORMAT, CONFIG_VERSION, ConfigDocument, ConnectorConfig, DirectoryConfig } from './config-document';

export type ImportAction = 'created' | 'updated' | 'unchanged';

export interface ImportReport {
  dryRun: boolean;
  directories: { id: string; name: string; action: ImportAction; changed: string[] }[];
  connectors: { id: string; name: string; action: ImportAction; changed: string[] }[];
  /** Background work an applied import started: re-projection for changed mappings, re-evaluation for changed group settings. */
  jobs: { connectorId: string; kind: 'reprojection' | 'groups'; job: ProjectionJob | ConnectorJob }[];
}

interface DirectoryRow {
  id: string;
  name: string;
  description: string | null;
  is_default: boolean;
}

interface ConnectorRow {
  id: string;
  name: string;
  idp: string;
  protocol: string;
  directory_id: string;
  enabled: boolean;
  settings: ConnectorSettings | null;
  token_hash: string;
  token_hint: string;
  token_created_at: Date;
  mapping: Mapping | null;
}

/** Thrown to roll a dry run's transaction back with its report. */
class DryRunDone extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

const CONNECTOR_SELECT = `SELECT c.id::text, c.name, c.idp, c.protocol, c.directory_id::text, c.enabled, c.settings, c.token_hash, c.token_hint, c.token_created_at, m.mapping
  FROM connectors c LEFT JOIN connector_mappings m ON m.connector_id = c.id`;

@Injectable()
export class ConfigBackupService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly connectors: ConnectorsService,
    private readonly mappings: MappingService,
    private readonly reprojection: ReprojectionService,
    private readonly groupSettings: GroupSettingsService,
  ) {}

  async export(ctx: AdminContext): Promise<ConfigDocument> {
    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      const directories: DirectoryRow[] = await em.query(`SELECT id::text, name, description, is_default FROM directories ORDER BY created_at, id`);
      const connectors: ConnectorRow[] = await em.query(`${CONNECTOR_SELECT} ORDER BY c.created_at, c.id`);
      await this.audit.record({ actor: ctx.actor, requestId: ctx.requestId, action: 'config.exported', details: { directories: directories.length, connectors: connectors.length } }, em);
      return {
        format: CONFIG_FORMAT,
        version: CONFIG_VERSION,
        exportedAt: new Date().toISOString(),
        directories: directories.map((d) => ({ id: d.id, name: d.name, description: d.description, isDefault: d.is_default })),
        connectors: connectors.map((c) => ({
          id: c.id,
          name: c.name,
          idp: c.idp as ConnectorConfig['idp'],
          protocol: c.protocol as ConnectorConfig['protocol'],
          directoryId: c.directory_id,
          enabled: c.enabled,
          settings: withoutSecrets(c.settings ?? {}),
          mapping: c.mapping,
          token: { hash: c.token_hash, hint: c.token_hint, createdAt: c.token_created_at.toISOString() },
        })),
      };
    });
  }

  async import(ctx: AdminContext, input: unknown, dryRun: boolean): Promise<ImportReport> {
    const doc = checkedConfigDocument(input);
    let report: ImportReport;
    try {
      report = await this.dataSource.transaction(async (em) => {
        // One import at a time: two would each read the other's targets as missing.
        await em.query(`SELECT pg_advisory_xact_lock(hashtext('roster.config-import'))`);
        const result: ImportReport = { dryRun, directories: [], connectors: [], jobs: [] };
        const directoryIds = new Map<string, string>();
        for (const d of doc.directories) result.directories.push(await this.importDirectory(em, d, directoryIds));
        await this.importDefault(em, doc.directories, directoryIds);
        const connectors = doc.connectors.map((c) => ({ ...c, directoryId: directoryIds.get(c.directoryId) ?? c.directoryId }));
        for (const [i, c] of connectors.entries()) result.connectors.push(await this.importConnector(em, c, i));
        // Each directory and connector the import wrote has it in its own audit trail too.
        for (const d of result.directories.filter((d) => d.action !== 'unchanged')) {
          const { action, changed } = d;
          await this.audit.record({ actor: ctx.actor, requestId: ctx.requestId, directoryId: d.id, targetType: 'directory', targetId: d.id, action: 'directory.imported', details: { action, changed } }, em);
        }
        for (const [i, c] of result.connectors.entries()) {
          if (c.action === 'unchanged') continue;
          const { action, changed } = c;
          const { directoryId } = connectors[i];
          await this.audit.record(
            { actor: ctx.actor, requestId: ctx.requestId, connectorId: c.id, directoryId, targetType: 'connector', targetId: c.id, action: 'connector.imported', details: { action, changed } },
            em,
          );
        }
        await this.audit.record(
          {
            actor: ctx.actor,
            requestId: ctx.requestId,
            action: 'config.imported',
            details: { exportedAt: doc.exportedAt ?? null, directories: summary(result.directories), connectors: summary(result.connectors) },
          },
          em,
        );
        if (dryRun) throw new DryRunDone(result);
        return result;
      });
    } catch (error) {
      if (error instanceof DryRunDone) return error.report;
      if (isUniqueViolation(error, 'uq_directories_name')) throw DomainError.conflict('A directory in the backup has the name of another directory here (with another id)');
      if (isUniqueViolation(error, 'uq_connectors_name')) throw DomainError.conflict('A connector in the backup has the name of another connector here (with another id)');
      throw error;
    }
    await this.afterImport(report);
    return report;
  }

  /**
   * A directory is matched by id, else by name: every instance starts with its own "Default", and a
   * backup restored into a fresh instance should land in it rather than clash with it. `ids` records
   * where each backup directory is here, for the connectors that target it.
   */
  private async importDirectory(em: EntityManager, d: DirectoryConfig, ids: Map<string, string>): Promise<ImportReport['directories'][number]> {
    const [current]: DirectoryRow[] = await em.query(
      `SELECT id::text, name, description, is_default FROM directories WHERE id = $1 OR lower(name) = lower($2) ORDER BY (id = $1) DESC LIMIT 1 FOR UPDATE`,
      [d.id, d.name],
    );
    if (!current) {
      await em.query(`INSERT INTO directories (id, name, description, is_default, created_at) VALUES ($1, $2, $3, false, clock_timestamp())`, [d.id, d.name, d.description]);
      ids.set(d.id, d.id);
      return { id: d.id, name: d.name, action: 'created', changed: [] };
    }
    ids.set(d.id, current.id);
    const changed = [current.name !== d.name && 'name', current.description !== d.description && 'description'].filter((f): f is string => Boolean(f));
    if (changed.length) await em.query(`UPDATE directories SET name = $2, description = $3, updated_at = now() WHERE id = $1`, [current.id, d.name, d.description]);
    if (current.is_default !== d.isDefault && d.isDefault) changed.push('isDefault');
    return { id: current.id, name: d.name, action: changed.length ? 'updated' : 'unchanged', changed };
  }

  /** The backup's default directory becomes the default (one always is; the backup may name none). */
  private async importDefault(em: EntityManager, directories: DirectoryConfig[], ids: Map<string, string>): Promise<void> {
    const wanted = directories.find((d) => d.isDefault);
    if (!wanted) return;
    const id = ids.get(wanted.id)!;
    await em.query(`UPDATE directories SET is_default = false WHERE is_default AND id <> $1`, [id]);
    await em.query(`UPDATE directories SET is_default = true WHERE id = $1 AND NOT is_default`, [id]);
  }

  private async importConnector(em: EntityManager, c: ConnectorConfig, index: number): Promise<ImportReport['connectors'][number]> {
    const [target] = await em.query(`SELECT 1 FROM directories WHERE id = $1`, [c.directoryId]);
    if (!target) {
      throw DomainError.invalid('A connector targets a directory that is neither in the backup nor here; nothing was imported', [
        { field: `connectors[${index}].directoryId`, problems: [`directory ${c.directoryId} does not exist`] },
      ]);
    }
    const [current]: ConnectorRow[] = await em.query(`${CONNECTOR_SELECT} WHERE c.id = $1 FOR UPDATE OF c`, [c.id]);
    if (!current) {
      await em.query(
        `INSERT INTO connectors (id, name, idp, protocol, directory_id, enabled, settings, token_hash, token_hint, token_created_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, clock_timestamp())`,
        [c.id, c.name, c.idp, c.protocol, c.directoryId, c.enabled, c.settings, c.token.hash, c.token.hint, c.token.createdAt],
      );
      if (c.mapping) await em.query(`INSERT INTO connector_mappings (connector_id, mapping) VALUES ($1, $2)`, [c.id, c.mapping]);
      return { id: c.id, name: c.name, action: 'created', changed: [] };
    }
    if (current.protocol !== c.protocol) {
      throw DomainError.invalid('A connector cannot change protocol; nothing was imported', [
        { field: `connectors[${index}].protocol`, problems: [`is ${current.protocol} here; a new connector (another id) can use ${c.protocol}`] },
      ]);
    }
    const settings = current.settings ?? {};
    // The backup has no bind password: the stored one stays.
    if (c.settings.ldap && !c.settings.ldap.bindPassword && settings.ldap?.bindPassword) c.settings.ldap.bindPassword = settings.ldap.bindPassword;
    const changed = [
      current.name !== c.name && 'name',
      current.idp !== c.idp && 'idp',
      current.directory_id !== c.directoryId && 'directoryId',
      current.enabled !== c.enabled && 'enabled',
      ...(['scimSchemaExtensions', 'identityLinking', 'groupSync', 'ldap'] as const).map((k) => !isDeepStrictEqual(settings[k], c.settings[k]) && `settings.${k}`),
      !isDeepStrictEqual(current.mapping, c.mapping) && 'mapping',
    ].filter((f): f is string => Boolean(f));
    if (changed.length === 0) return { id: c.id, name: c.name, action: 'unchanged', changed };
    if (changed.includes('directoryId')) await this.connectors.assertMovable(c.id, c.directoryId, em);
    // The token stays: the IdP holds the current one, which may be newer than the backup's.
    await em.query(`UPDATE connectors SET name = $2, idp = $3, directory_id = $4, enabled = $5, settings = $6, updated_at = now() WHERE id = $1`, [
      c.id,
      c.name,
      c.idp,
      c.directoryId,
      c.enabled,
      c.settings,
    ]);
    if (changed.includes('mapping')) {
      if (c.mapping) {
        await em.query(
          `INSERT INTO connector_mappings (connector_id, mapping) VALUES ($1, $2) ON CONFLICT (connector_id) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
          [c.id, c.mapping],
        );
      } else {
        await em.query(`DELETE FROM connector_mappings WHERE connector_id = $1`, [c.id]);
      }
    }
    return { id: c.id, name: c.name, action: 'updated', changed };
  }

  /**
   * After the commit: caches forget the connectors that changed, and their stored users are brought
   * in line in the background, as when an admin changes a mapping or group settings through the API.
   */
  private async afterImport(report: ImportReport): Promise<void> {
    for (const c of report.connectors.filter((c) => c.action === 'updated')) {
      this.connectors.forgetCredentials(c.id);
      this.mappings.forget(c.id);
      const connector = await this.connectors.get(c.id);
      if (c.changed.includes('mapping') || c.changed.includes('idp')) {
        report.jobs.push({ connectorId: c.id, kind: 'reprojection', job: await this.reprojection.start(connector, (await this.mappings.get(c.id)).mapping) });
      }
      if (c.changed.includes('settings.groupSync')) {
        report.jobs.push({ connectorId: c.id, kind: 'groups', job: await this.groupSettings.reevaluate(connector) });
      }
    }
  }
}

/** Settings as a backup carries them: an LDAP connector's bind password is never exported. */
function withoutSecrets(settings: ConnectorSettings): ConnectorSettings {
  if (!settings.ldap) return settings;
  const { bindPassword: _secret, ...ldap } = settings.ldap;
  return { ...settings, ldap: ldap as ConnectorSettings['ldap'] };
}

function summary(items: { action: ImportAction }[]): Record<ImportAction, number> {
  return {
    created: items.filter((i) => i.action === 'created').length,
    updated: items.filter((i) => i.action === 'updated').length,
    unchanged: items.filter((i) => i.action === 'unchanged').length,
  };
}
