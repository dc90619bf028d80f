// A connector's attribute mapping: its IdP preset's default until an admin replaces it; validated
// before it is stored, previewable against a sample record without writing anything.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CompiledMapping, compileMapping, defaultMapping, evaluate, Evaluation, Mapping, MappingPreset, validateMapping } from '@roster/mapping-core';
import { normaliseResource } from '@roster/scim-core';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { AdminContext } from '../common/request-context';
import { settingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { connectorAuditBase, ConnectorsService } from '../connectors/connectors.service';
import { resourceKinds } from '../scim/resource-kinds';
import { DryRun, ProjectionJob, ReprojectionService } from './reprojection.service';

export interface ConnectorMapping {
  mapping: Mapping;
  /** The re-projection a change started (only in the answer to that change). */
  reprojection?: ProjectionJob;
  /** `preset`: the IdP preset's default applies; `custom`: an admin replaced it. */
  origin: 'preset' | 'custom';
  preset: MappingPreset;
  updatedAt: Date | null;
}

/** The preset a connector's default mapping comes from. */
export function presetOf(connector: Pick<Connector, 'idp' | 'protocol'>): MappingPreset {
  return connector.protocol === 'ldap' ? 'ldap' : connector.idp;
}

/** Compiled mappings are kept this long; a change through this process applies at once. */
const COMPILED_TTL_MS = 2000;

@Injectable()
export class MappingService {
  private readonly compiled = new Map<string, { until: number; compiled: CompiledMapping }>();
  private readonly presets = new Map<MappingPreset, CompiledMapping>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectors: ConnectorsService,
    private readonly audit: AuditService,
    private readonly reprojection: ReprojectionService,
  ) {}

  async get(connectorId: string): Promise<ConnectorMapping> {
    const connector = await this.connectors.get(connectorId);
    const [row]: { mapping: Mapping; updated_at: Date }[] = await this.dataSource.query(
      `SELECT mapping, updated_at FROM connector_mappings WHERE connector_id = $1`,
      [connectorId],
    );
    const preset = presetOf(connector);
    return row ? { mapping: row.mapping, origin: 'custom', preset, updatedAt: row.updated_at } : { mapping: defaultMapping(preset), origin: 'preset', preset, updatedAt: null };
  }

  /** The compiled mapping in force for a connector, for the projection of every write. */
  async compiledFor(connector: Pick<Connector, 'id' | 'idp' | 'protocol'>): Promise<CompiledMapping> {
    const hit = this.compiled.get(connector.id);
    if (hit && hit.until > Date.now()) return hit.compiled;
    const [row]: { mapping: Mapping }[] = await this.dataSource.query(`SELECT mapping FROM connector_mappings WHERE connector_id = $1`, [connector.id]);
    const compiled = row ? compileMapping(row.mapping) : this.presetCompiled(presetOf(connector));
    if (this.compiled.size >= 10_000) this.compiled.clear();
    this.compiled.set(connector.id, { until: Date.now() + COMPILED_TTL_MS, compiled });
    return compiled;
  }

  /** Drops the compiled mapping kept for a connector whose mapping changed outside this service. */
  forget(connectorId: string): void {
    this.compiled.delete(connectorId);
  }

  private presetCompiled(preset: MappingPreset): CompiledMapping {
    let compiled = this.presets.get(preset);
    if (!compiled) this.presets.set(preset, (compiled = compileMapping(defaultMapping(preset))));
    return compiled;
  }

  async replace(ctx: AdminContext, connectorId: string, input: unknown): Promise<ConnectorMapping> {
    const connector = await this.connectors.get(connectorId);
    const mapping = checkedMapping(input);
    const expected = connector.protocol === 'ldap' ? 'ldap' : 'scim';
    if (mapping.kind !== expected) {
      throw DomainError.invalid(`A ${connector.protocol} connector reads ${expected} records`, [{ field: 'kind', problems: [`must be "${expected}"`] }]);
    }
    await this.dataSource.transaction(async (em) => {
      await em.query(
        `INSERT INTO connector_mappings (connector_id, mapping) VALUES ($1, $2)
         ON CONFLICT (connector_id) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
        [connectorId, mapping],
      );
      await this.audit.record(
        { ...connectorAuditBase(ctx, connector), action: 'connector.mapping_replaced', details: { rules: mapping.rules.length, kind: mapping.kind } },
        em,
      );
    });
    this.compiled.delete(connectorId);
    return { ...(await this.get(connectorId)), reprojection: await this.reprojection.start(connector, mapping) };
  }

  /** Which directory users `input` would change, and how, if it replaced the mapping. Writes nothing. */
  async dryRun(connectorId: string, input: unknown): Promise<DryRun> {
    const connector = await this.connectors.get(connectorId);
    return this.reprojection.dryRun(connector, checkedMapping(input));
  }

  async jobs(connectorId: string): Promise<ProjectionJob[]> {
    await this.connectors.get(connectorId);
    return this.reprojection.jobs(connectorId);
  }

  async job(connectorId: string, jobId: string): Promise<ProjectionJob> {
    const job = await this.reprojection.job(connectorId, jobId);
    if (!job) throw DomainError.notFound('Re-projection job', jobId);
    return job;
  }

  /** Back to the IdP preset's default mapping. */
  async reset(ctx: AdminContext, connectorId: string): Promise<ConnectorMapping> {
    const connector = await this.connectors.get(connectorId);
    await this.dataSource.transaction(async (em) => {
      await em.query(`DELETE FROM connector_mappings WHERE connector_id = $1`, [connectorId]);
      await this.audit.record({ ...connectorAuditBase(ctx, connector), action: 'connector.mapping_reset', details: { preset: presetOf(connector) } }, em);
    });
    this.compiled.delete(connectorId);
    const current = await this.get(connectorId);
    return { ...current, reprojection: await this.reprojection.start(connector, current.mapping) };
  }

  /**
   * What `record` would become in the directory under the connector's mapping (or `draft`, a mapping
   * not yet saved), and which rule produced each field. Nothing is written.
   */
  async preview(connectorId: string, record: unknown, draft?: unknown): Promise<Evaluation> {
    const connector = await this.connectors.get(connectorId);
    const mapping = draft === undefined ? (await this.get(connectorId)).mapping : checkedMapping(draft, 'mapping');
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw DomainError.invalid('record must be a JSON object', [{ field: 'record', problems: ['must be a SCIM User resource or an LDAP entry'] }]);
    }
    const compiled = compileMapping(mapping);
    if (mapping.kind === 'ldap') return evaluate(compiled, { kind: 'ldap', entry: record as Record<string, string | string[]> });
    // The same normalisation a SCIM request goes through ("True" strings, single-object emails...).
    const users = resourceKinds(settingsOf(connector).scimSchemaExtensions).User.schema;
    return evaluate(compiled, { kind: 'scim', resource: normaliseResource(record, users) as Record<string, unknown> });
  }
}

/** A mapping as mapping-core validates it; a 400 naming each problem (under `prefix`) otherwise. */
export function checkedMapping(input: unknown, prefix = ''): Mapping {
  const result = validateMapping(input);
  if (result.ok) return result.mapping;
  throw DomainError.invalid(
    'The mapping is not valid',
    result.errors.map((e) => ({
      field: [prefix, e.rule === null ? '' : `rules[${e.rule}]`, e.field].filter(Boolean).join('.').replace('.[', '['),
      problems: [e.message],
    })),
  );
}
