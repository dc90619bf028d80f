// The SCIM resource operations of RFC 7644 section 3 for one connector: create, read, list, replace,
// patch, delete. Each write is one transaction holding the resource's row lock, so parallel requests
// from an IdP serialise per resource and never half-apply; the audit record lands in the same
// transaction. What the IdP wrote is kept as that connector's view of the resource.
import { Injectable } from '@nestjs/common';
import {
  applyPatch,
  canonicalResource,
  matchValueFilter,
  MemberOp,
  normalisePatchRequest,
  parseAttrPath,
  normaliseResource,
  parseIdpFilter,
  ScimError,
} from '@roster/scim-core';
import { mappedGroupsToCreate } from '@roster/group-rules';
import { CompiledMapping, evaluate, Evaluation, sourceRecord } from '@roster/mapping-core';
import { isDeepStrictEqual } from 'node:util';
import { EntityManager } from 'typeorm';
import { AuditRecord, AuditService } from '../audit/audit.service';
import { isUuid } from '../common/uuid';
import { recordKindOf } from '../connectors/connector-settings';
import { compileFilter, compileOrderBy } from '../directory/filter-sql/filter-sql';
import { projectUserCtes, reprojectStored } from '../directory/projection/user-projection';
import { ExtraCtes, IndexedColumns, MemberRow, ScimResourceStore, ScimRow } from '../directory/scim-resource.store';
import { LifecycleService } from '../group-sync/lifecycle.service';
import { MembershipSync } from '../group-sync/membership-sync.service';
import { RecordReason, recordReason, SyncTarget } from '../group-sync/sync-target';
import { MappingService } from '../mapping/mapping.service';
import { ConnectorContext } from './connector-context';
import { checkIfMatch, etag } from './etag';
import { JsonObject, ResourceKind } from './resource-kinds';
import { ListQuery } from './scim-query';

/** A resource as the service provider represents it, before attributes/excludedAttributes apply. */
export interface Rendered {
  resource: JsonObject;
  version: number;
  location: string;
}

/** Which derived multi-valued attributes a response needs: members are never loaded for nothing. */
export interface Needs {
  members: boolean;
  groups: boolean;
  /**
   * Leave `members` out when the group has more than this many: the answer to a write names the
   * resource, and a 100,000-member list would cost more than the change itself.
   */
  memberLimit?: number;
}

export const NEED_ALL: Needs = { members: true, groups: true };
/** Nothing derived: a caller that does not answer with the resource. */
const NO_NEEDS: Needs = { members: false, groups: false };

const ROW_ALIAS = 'r';

@Injectable()
export class ScimResourcesService {
  constructor(
    private readonly store: ScimResourceStore,
    private readonly audit: AuditService,
    private readonly mappings: MappingService,
    private readonly memberships: MembershipSync,
    private readonly lifecycle: LifecycleService,
  ) {}

  /**
   * The directory side of writing `data` as a user: the connector's mapping evaluated, the CTEs that
   * apply it in the same statement as the write, and the reason (deactivated, dropped) the record
   * itself gives its lifecycle. Groups are projected by MembershipSync.
   */
  private async projection(
    ctx: ConnectorContext,
    data: JsonObject,
    newRecord = false,
  ): Promise<{ extra: ExtraCtes; outcome: Record<string, unknown>; reason: RecordReason | null }> {
    const evaluation = await this.evaluate(ctx, data);
    const outcome = evaluation.outcome === 'mapped' ? { outcome: 'mapped' } : { outcome: evaluation.outcome, rule: evaluation.rule, reason: evaluation.reason };
    return {
      extra: (first, ref, guard) =>
        projectUserCtes({ directoryId: ctx.directoryId, connectorId: ctx.connectorId, linking: ctx.linking, evaluation, newRecord }, ref, first, guard),
      outcome,
      reason: recordReason(evaluation, data),
    };
  }

  private async evaluate(ctx: ConnectorContext, data: JsonObject): Promise<Evaluation> {
    return evaluate(await this.compiled(ctx), sourceRecord(recordKindOf(ctx), data));
  }

  private compiled(ctx: ConnectorContext): Promise<CompiledMapping> {
    return this.mappings.compiledFor({ id: ctx.connectorId, idp: ctx.idp, protocol: ctx.protocol });
  }

  /** Group sync and lifecycle for this connector, acting for its IdP. */
  private target(ctx: ConnectorContext): SyncTarget {
    return {
      connectorId: ctx.connectorId,
      directoryId: ctx.directoryId,
      settings: ctx.groups,
      actor: `connector:${ctx.connectorId}`,
      requestId: ctx.requestId,
      reproject: async (em, ref) =>
        reprojectStored(em, { directoryId: ctx.directoryId, connectorId: ctx.connectorId, linking: ctx.linking }, await this.compiled(ctx), ref, recordKindOf(ctx)),
    };
  }

  /**
   * The directory side of a group write: `memberIds` (SCIM user ids) are the members it added or
   * removed. A renamed group changes what every member's membership grants, so each member is
   * evaluated in full; otherwise only this group's grants change.
   */
  private async syncMembers(tx: EntityManager, ctx: ConnectorContext, group: { id: string; data: JsonObject }, memberIds: Iterable<string>, renamedGroup = false): Promise<void> {
    if (renamedGroup) {
      await this.memberships.sync(tx, this.target(ctx), [...memberIds]);
      return;
    }
    const { displayName, externalId } = group.data;
    const idpGroup = { id: group.id, displayName: String(displayName), ...(typeof externalId === 'string' ? { externalId } : {}) };
    await this.memberships.membersChanged(tx, this.target(ctx), idpGroup, [...memberIds]);
  }

  /** Creates a resource; `id` names it (an LDAP group's own id), otherwise Postgres draws one. */
  async create(ctx: ConnectorContext, kind: ResourceKind, body: unknown, needs: Needs = NEED_ALL, id?: string): Promise<Rendered> {
    const { data, members, warnings } = this.canonical(kind, body);
    const columns = { ...(id ? { id } : {}), ...kind.columns(data) } as IndexedColumns;
    if (kind.type === 'User') return this.createUser(ctx, kind, data, columns, { warnings }, needs);
    const importGroups = this.importedGroups(ctx, data);
    if (members.length === 0 && importGroups.length === 0) {
      const row = await this.store.insert(this.store.manager, kind.type, ctx.connectorId, columns, data, this.auditRecord(ctx, kind, 'created', { warnings }));
      return this.renderOne(this.store.manager, ctx, kind, row, needs);
    }
    return this.store.transaction(async (tx) => {
      const row = await this.store.insert(tx, kind.type, ctx.connectorId, columns, data);
      const { unknown } = await this.store.addMembers(tx, ctx.connectorId, row.id, members);
      await this.record(tx, ctx, kind, 'created', row.id, { warnings, unknownMembers: unknown });
      await this.memberships.ensureGroups(tx, ctx.directoryId, importGroups);
      await this.syncMembers(tx, ctx, row, members.map((m) => m.value));
      return this.renderOne(tx, ctx, kind, row, needs);
    });
  }

  /** A new user record (columns may name its id), its directory projection, audit record and group sync. */
  private async createUser(ctx: ConnectorContext, kind: ResourceKind, data: JsonObject, columns: IndexedColumns, details: Record<string, unknown>, needs: Needs): Promise<Rendered> {
    const { extra, outcome, reason } = await this.projection(ctx, data, true);
    const audit = this.auditRecord(ctx, kind, 'created', { ...details, directory: outcome });
    const { defaultGroups, requiredGroups } = ctx.groups;
    if (reason === null && requiredGroups.length === 0 && defaultGroups.newUsers.length === 0 && defaultGroups.allUsers.length === 0) {
      // One statement writes the resource, its directory projection and its audit record.
      const row = await this.store.insert(this.store.manager, kind.type, ctx.connectorId, columns, data, audit, extra);
      return this.renderOne(this.store.manager, ctx, kind, { ...row, groups: [] }, needs);
    }
    return this.store.transaction(async (tx) => {
      const row = await this.store.insert(tx, kind.type, ctx.connectorId, columns, data, audit, extra);
      await this.memberships.sync(tx, this.target(ctx), [row.id], { newRecords: new Set([row.id]), recordReasons: new Map([[row.id, reason]]) });
      return this.renderOne(tx, ctx, kind, { ...row, groups: [] }, needs);
    });
  }

  /** The stored data of those of the user records `ids` that exist (a sync reads a page of them at once). */
  storedUsers(ctx: ConnectorContext, ids: string[]): Promise<Map<string, unknown>> {
    return this.store.dataOf(this.store.manager, 'User', ctx.connectorId, ids);
  }

  /**
   * An LDAP connector's entry as its user record `id`, given what is `stored` for it (storedUsers):
   * created, replaced when it changed (projection, lifecycle and group sync as for a SCIM write), or
   * left alone.
   */
  async putRecord(ctx: ConnectorContext, kind: ResourceKind, id: string, data: JsonObject, columns: IndexedColumns, stored: unknown): Promise<'created' | 'updated' | 'unchanged'> {
    if (stored === undefined) {
      await this.createUser(ctx, kind, data, { id, ...columns } as IndexedColumns, {}, NO_NEEDS);
      return 'created';
    }
    if (isDeepStrictEqual(stored, data)) return 'unchanged';
    await this.writeOptimistically(ctx, { ...kind, columns: () => columns }, id, undefined, NO_NEEDS, (latest) => (isDeepStrictEqual(latest.data, data) ? null : { data, details: {} }));
    return 'updated';
  }

  /**
   * An LDAP group as the connector's group record `id`: created, replaced when its name or members
   * changed (group sync as for a SCIM PUT), or left alone.
   */
  async putGroupRecord(ctx: ConnectorContext, id: string, group: { displayName: string; externalId: string; memberIds: string[] }): Promise<'created' | 'updated' | 'unchanged'> {
    const kind = ctx.kinds.Group;
    const body = { schemas: [kind.schema.core.id], displayName: group.displayName, externalId: group.externalId, members: group.memberIds.map((value) => ({ value })) };
    const current = await this.store.find(this.store.manager, 'Group', ctx.connectorId, id);
    if (!current) {
      await this.create(ctx, kind, body, NO_NEEDS, id);
      return 'created';
    }
    const members = new Set(await this.store.userMemberIds(this.store.manager, id));
    const sameMembers = members.size === group.memberIds.length && group.memberIds.every((m) => members.has(m));
    if (sameMembers && current.data.displayName === group.displayName && current.data.externalId === group.externalId) return 'unchanged';
    await this.replace(ctx, kind, id, body, undefined, NO_NEEDS);
    return 'updated';
  }

  async get(ctx: ConnectorContext, kind: ResourceKind, id: string, needs: Needs = NEED_ALL): Promise<Rendered> {
    const row = await this.findOrFail(this.store.manager, ctx, kind, id, { groups: needs.groups });
    return this.renderOne(this.store.manager, ctx, kind, row, needs);
  }

  async replace(ctx: ConnectorContext, kind: ResourceKind, id: string, body: unknown, ifMatch?: string | string[], needs: Needs = NEED_ALL): Promise<Rendered> {
    const { data, members, warnings } = this.canonical(kind, body);
    if (!kind.external.length) {
      return this.writeOptimistically(ctx, kind, id, ifMatch, needs, () => ({ data, details: { warnings } }));
    }
    return this.store.transaction(async (tx) => {
      const current = await this.findOrFail(tx, ctx, kind, id, { lock: true });
      checkIfMatch(ifMatch, current.version);
      // A PUT replaces the whole resource: members it does not list are gone (RFC 7644 3.5.1).
      const before = await this.store.userMemberIds(tx, current.id);
      await this.store.removeAllMembers(tx, ctx.connectorId, current.id);
      const unknownMembers = members.length ? (await this.store.addMembers(tx, ctx.connectorId, current.id, members)).unknown : [];
      const row = await this.store.update(tx, kind.type, current, kind.columns(data), data);
      await this.record(tx, ctx, kind, 'replaced', row.id, { warnings, unknownMembers });
      const after = new Set(members.map((m) => m.value.toLowerCase()));
      const rename = renamed(current.data, data);
      const affected = rename ? [...before, ...after] : [...before.filter((id) => !after.has(id)), ...[...after].filter((id) => !before.includes(id))];
      await this.memberships.ensureGroups(tx, ctx.directoryId, this.importedGroups(ctx, data));
      await this.syncMembers(tx, ctx, row, affected, rename);
      return this.renderOne(tx, ctx, kind, row, needs);
    });
  }

  async patch(ctx: ConnectorContext, kind: ResourceKind, id: string, body: unknown, ifMatch?: string | string[], needs: Needs = NEED_ALL): Promise<Rendered> {
    const request = normalisePatchRequest(body, kind.schema);
    const apply = (current: ScimRow) => {
      // The id is part of what the engine sees, so a client echoing it (Okta's group rename) is fine.
      const result = applyPatch({ ...current.data, id: current.id }, request, kind.schema, { lenientUnknownAttributes: true, external: kind.external });
      const { id: _id, meta: _meta, ...patched } = result.resource;
      return { result, data: kind.prepare(patched) };
    };
    if (!kind.external.length) {
      return this.writeOptimistically(ctx, kind, id, ifMatch, needs, (current) => {
        const { result, data } = apply(current);
        return result.changed ? { data, details: { warnings: result.warnings, operations: request } } : null;
      });
    }
    return this.store.transaction(async (tx) => {
      const current = await this.findOrFail(tx, ctx, kind, id, { lock: true });
      checkIfMatch(ifMatch, current.version);
      const { result, data } = apply(current);
      const { unknown: unknownMembers, affected } = await this.applyMemberOps(tx, ctx, kind, current.id, result.memberOps);
      let row = current;
      if (result.changed) row = await this.store.update(tx, kind.type, current, kind.columns(data), data);
      else if (result.memberOps.length) row = await this.store.touch(tx, kind.type, current);
      if (row !== current) {
        await this.record(tx, ctx, kind, 'patched', row.id, { warnings: result.warnings, unknownMembers, operations: request });
      }
      const rename = result.changed && renamed(current.data, data);
      if (rename) {
        for (const id of await this.store.userMemberIds(tx, current.id)) affected.add(id);
        await this.memberships.ensureGroups(tx, ctx.directoryId, this.importedGroups(ctx, data));
      }
      await this.syncMembers(tx, ctx, row, affected, rename);
      return this.renderOne(tx, ctx, kind, row, needs);
    });
  }

  /**
   * Read, change, write-if-unchanged: a resource whose state is one row (a user) is updated in two
   * statements without a transaction. When a concurrent writer made the conditional write miss, the
   * change is computed again under the row lock, so contended resources make progress and the
   * outcome equals applying the requests one after another. A write that starts or ends a lifecycle
   * reason (deactivation, a drop rule), or that default groups for all users follow, runs under the
   * row lock in a transaction with the group sync.
   */
  private async writeOptimistically(
    ctx: ConnectorContext,
    kind: ResourceKind,
    id: string,
    ifMatch: string | string[] | undefined,
    needs: Needs,
    change: (current: ScimRow) => { data: JsonObject; details: Record<string, unknown> } | null,
  ): Promise<Rendered> {
    const write = async (em: EntityManager, inTransaction: boolean): Promise<Rendered | null | 'sync'> => {
      const current = await this.findOrFail(em, ctx, kind, id, { groups: needs.groups, lock: inTransaction });
      checkIfMatch(ifMatch, current.version);
      const next = change(current);
      if (!next) return this.renderOne(em, ctx, kind, current, needs);
      const verb = next.details.operations ? 'patched' : 'replaced';
      const { extra, outcome, reason } = await this.projection(ctx, next.data);
      const sync = reason !== recordReason(await this.evaluate(ctx, current.data), current.data) || ctx.groups.defaultGroups.allUsers.length > 0;
      if (sync && !inTransaction) return 'sync';
      const audit = this.auditRecord(ctx, kind, verb, { ...next.details, directory: outcome }, id);
      const row = await this.store.updateIfVersion(em, kind.type, current, kind.columns(next.data), next.data, audit, needs.groups, extra);
      if (row && sync) await this.memberships.sync(em, this.target(ctx), [row.id], { recordReasons: new Map([[row.id, reason]]) });
      return row ? this.renderOne(em, ctx, kind, row, needs) : null;
    };
    const first = await write(this.store.manager, false);
    if (first !== null && first !== 'sync') return first;
    return (await this.store.transaction((tx) => write(tx, true))) as Rendered;
  }

  async delete(ctx: ConnectorContext, kind: ResourceKind, id: string, ifMatch?: string | string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const current = await this.findOrFail(tx, ctx, kind, id, { lock: true });
      checkIfMatch(ifMatch, current.version);
      const members = kind.type === 'Group' ? await this.store.userMemberIds(tx, current.id) : [];
      if (kind.type === 'User') await this.lifecycle.deleted(tx, this.target(ctx), current.id);
      await this.store.delete(tx, kind.type, ctx.connectorId, current.id);
      await this.record(tx, ctx, kind, 'deleted', current.id, {});
      if (kind.type === 'Group') await this.syncMembers(tx, ctx, current, members);
    });
  }

  async list(ctx: ConnectorContext, kind: ResourceKind, query: ListQuery, needs: Needs = NEED_ALL): Promise<{ total: number; resources: Rendered[] }> {
    const table = { alias: ROW_ALIAS, resourceType: kind.type };
    const where = query.filter ? compileFilter(parseIdpFilter(query.filter, { schemaUrns: kind.schema.schemaUrns }), kind.schema, table, 2) : null;
    const orderBy = query.sortBy
      ? compileOrderBy(parseAttrPath(query.sortBy, { schemaUrns: kind.schema.schemaUrns }), query.sortOrder, kind.schema, table)
      : `${ROW_ALIAS}.created_at, ${ROW_ALIAS}.id`;
    const { total, rows } = await this.store.list(kind.type, ctx.connectorId, where, orderBy, query.startIndex - 1, query.count, { groups: needs.groups });
    return { total, resources: await this.render(this.store.manager, ctx, kind, rows, needs) };
  }

  // ---- helpers ----

  private canonical(kind: ResourceKind, body: unknown): { data: JsonObject; members: { value: string; display?: string }[]; warnings: string[] } {
    const { resource, members, warnings } = canonicalResource(normaliseResource(body, kind.schema), kind.schema, {
      ignore: kind.derived,
      external: kind.external,
    });
    return { data: kind.prepare(resource), members, warnings };
  }

  private async findOrFail(em: EntityManager, ctx: ConnectorContext, kind: ResourceKind, id: string, options: { lock?: boolean; groups?: boolean } = {}): Promise<ScimRow> {
    const row = isUuid(id) ? await this.store.find(em, kind.type, ctx.connectorId, id, options) : null;
    if (!row) throw new ScimError(404, undefined, `${kind.type} ${id} not found`);
    return row;
  }

  /**
   * Applies the member changes in request order; returns the member values that name nothing here,
   * and the members whose membership may have changed.
   */
  private async applyMemberOps(
    tx: EntityManager,
    ctx: ConnectorContext,
    kind: ResourceKind,
    groupId: string,
    ops: MemberOp[],
  ): Promise<{ unknown: string[]; affected: Set<string> }> {
    const unknown: string[] = [];
    const affected = new Set<string>();
    const touch = (ids: Iterable<string>) => {
      for (const id of ids) affected.add(id.toLowerCase());
    };
    for (const op of coalesce(ops)) {
      switch (op.kind) {
        case 'add':
          unknown.push(...(await this.store.addMembers(tx, ctx.connectorId, groupId, op.values)).unknown);
          touch(op.values.map((v) => v.value));
          break;
        case 'replace':
          touch(await this.store.userMemberIds(tx, groupId));
          await this.store.removeAllMembers(tx, ctx.connectorId, groupId);
          unknown.push(...(await this.store.addMembers(tx, ctx.connectorId, groupId, op.values)).unknown);
          touch(op.values.map((v) => v.value));
          break;
        case 'remove':
          await this.store.removeMembers(tx, ctx.connectorId, groupId, op.values);
          touch(op.values);
          break;
        case 'removeAll':
          touch(await this.store.userMemberIds(tx, groupId));
          await this.store.removeAllMembers(tx, ctx.connectorId, groupId);
          break;
        case 'removeWhere': {
          const membersDef = kind.schema.resolveText('members')!.attribute;
          const current = await this.store.membersOf([groupId], tx);
          const matching = current
            .filter((m) => matchValueFilter(op.filter, this.member(ctx, m), membersDef, kind.schema))
            .map((m) => m.member_id);
          await this.store.removeMembers(tx, ctx.connectorId, groupId, matching);
          touch(matching);
          break;
        }
      }
    }
    return { unknown, affected };
  }

  /** Directory groups a manual mapping imports for this IdP group before anyone is granted them. */
  private importedGroups(ctx: ConnectorContext, data: JsonObject): string[] {
    return mappedGroupsToCreate([{ displayName: String(data.displayName), ...(typeof data.externalId === 'string' ? { externalId: data.externalId } : {}) }], ctx.groups);
  }

  private auditRecord(ctx: ConnectorContext, kind: ResourceKind, verb: string, details: Record<string, unknown>, id?: string): AuditRecord {
    const interesting = Object.fromEntries(Object.entries(details).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
    return {
      actor: `connector:${ctx.connectorId}`,
      action: `${recordKindOf(ctx)}.${kind.type.toLowerCase()}.${verb}`,
      requestId: ctx.requestId,
      connectorId: ctx.connectorId,
      directoryId: ctx.directoryId,
      targetType: `${recordKindOf(ctx)}_${kind.type.toLowerCase()}`,
      ...(id ? { targetId: id } : {}),
      details: interesting,
    };
  }

  private record(tx: EntityManager, ctx: ConnectorContext, kind: ResourceKind, verb: string, id: string, details: Record<string, unknown>) {
    return this.audit.record(this.auditRecord(ctx, kind, verb, details, id), tx);
  }

  private async renderOne(em: EntityManager, ctx: ConnectorContext, kind: ResourceKind, row: ScimRow, needs: Needs): Promise<Rendered> {
    return (await this.render(em, ctx, kind, [row], needs))[0];
  }

  /** Rows to resources, with one query for the members (or groups) of the whole page. */
  private async render(em: EntityManager, ctx: ConnectorContext, kind: ResourceKind, rows: ScimRow[], needs: Needs): Promise<Rendered[]> {
    const ids = rows.map((r) => r.id);
    const members = new Map<string, JsonObject[]>();
    let withMembers = kind.type === 'Group' && needs.members;
    if (withMembers && needs.memberLimit !== undefined && rows.length === 1) {
      withMembers = (await this.store.countMembers(em, ids[0], needs.memberLimit + 1)) <= needs.memberLimit;
    }
    if (withMembers) {
      for (const m of await this.store.membersOf(ids, em)) push(members, m.group_id, this.member(ctx, m));
    }
    return rows.map((row) => {
      const { schemas, ...rest } = row.data;
      const location = `${ctx.baseUrl}${kind.endpoint}/${row.id}`;
      const resource: JsonObject = { schemas, id: row.id, ...rest };
      // RFC 7643 leaves an empty multi-valued attribute unassigned; IdPs (Okta) need `members: []`.
      if (withMembers) resource.members = members.get(row.id) ?? [];
      if (kind.type === 'User' && needs.groups && row.groups?.length) {
        resource.groups = row.groups.map((g) => ({ value: g.value, $ref: `${ctx.baseUrl}/Groups/${g.value}`, display: g.display, type: 'direct' }));
      }
      resource.meta = {
        resourceType: kind.type,
        created: row.created_at.toISOString(),
        lastModified: row.updated_at.toISOString(),
        location,
        version: etag(row.version),
      };
      return { resource, version: row.version, location };
    });
  }

  private member(ctx: ConnectorContext, m: MemberRow): JsonObject {
    const endpoint = m.member_type === 'User' ? 'Users' : 'Groups';
    return { value: m.member_id, $ref: `${ctx.baseUrl}/${endpoint}/${m.member_id}`, type: m.member_type, ...(m.display !== null ? { display: m.display } : {}) };
  }
}

/**
 * Adjacent adds, and adjacent removes, as one set operation each: Okta and Entra send a change to
 * many members as one operation per member, and 1,000 of them must cost one statement, not 1,000.
 */
function coalesce(ops: MemberOp[]): MemberOp[] {
  const out: MemberOp[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last?.kind === 'add' && op.kind === 'add') out[out.length - 1] = { kind: 'add', values: [...last.values, ...op.values] };
    else if (last?.kind === 'remove' && op.kind === 'remove') out[out.length - 1] = { kind: 'remove', values: [...last.values, ...op.values] };
    else out.push(op);
  }
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A new displayName or externalId changes what every member's IdP group leads to. */
function renamed(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  return String(before.displayName).toLowerCase() !== String(after.displayName).toLowerCase() || (before.externalId ?? null) !== (after.externalId ?? null);
}
