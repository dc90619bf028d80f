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
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { isUuid } from '../common/uuid';
import { compileFilter, compileOrderBy } from '../directory/filter-sql/filter-sql';
import { MemberRow, ScimResourceStore, ScimRow } from '../directory/scim-resource.store';
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
}

export const NEED_ALL: Needs = { members: true, groups: true };

const ROW_ALIAS = 'r';

@Injectable()
export class ScimResourcesService {
  constructor(
    private readonly store: ScimResourceStore,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: ConnectorContext, kind: ResourceKind, body: unknown, needs: Needs = NEED_ALL, em?: EntityManager): Promise<Rendered> {
    const { data, members, warnings } = this.canonical(kind, body);
    return this.inTransaction(em, async (tx) => {
      const row = await this.store.insert(tx, kind.type, ctx.connectorId, kind.columns(data), data);
      const unknownMembers = members.length ? (await this.store.addMembers(tx, ctx.connectorId, row.id, members)).unknown : [];
      await this.record(tx, ctx, kind, 'created', row.id, { warnings, unknownMembers });
      return this.renderOne(tx, ctx, kind, row, needs);
    });
  }

  async get(ctx: ConnectorContext, kind: ResourceKind, id: string, needs: Needs = NEED_ALL): Promise<Rendered> {
    const row = await this.findOrFail(this.store.manager, ctx, kind, id);
    return this.renderOne(this.store.manager, ctx, kind, row, needs);
  }

  async replace(
    ctx: ConnectorContext,
    kind: ResourceKind,
    id: string,
    body: unknown,
    ifMatch?: string | string[],
    needs: Needs = NEED_ALL,
    em?: EntityManager,
  ): Promise<Rendered> {
    const { data, members, warnings } = this.canonical(kind, body);
    return this.inTransaction(em, async (tx) => {
      const current = await this.findOrFail(tx, ctx, kind, id, true);
      checkIfMatch(ifMatch, current.version);
      let unknownMembers: string[] = [];
      if (kind.external.length) {
        // A PUT replaces the whole resource: members it does not list are gone (RFC 7644 3.5.1).
        await this.store.removeAllMembers(tx, ctx.connectorId, current.id);
        if (members.length) unknownMembers = (await this.store.addMembers(tx, ctx.connectorId, current.id, members)).unknown;
      }
      const row = await this.store.update(tx, kind.type, current, kind.columns(data), data);
      await this.record(tx, ctx, kind, 'replaced', row.id, { warnings, unknownMembers });
      return this.renderOne(tx, ctx, kind, row, needs);
    });
  }

  async patch(
    ctx: ConnectorContext,
    kind: ResourceKind,
    id: string,
    body: unknown,
    ifMatch?: string | string[],
    needs: Needs = NEED_ALL,
    em?: EntityManager,
  ): Promise<Rendered> {
    const request = normalisePatchRequest(body, kind.schema);
    return this.inTransaction(em, async (tx) => {
      const current = await this.findOrFail(tx, ctx, kind, id, true);
      checkIfMatch(ifMatch, current.version);
      // The id is part of what the engine sees, so a client echoing it (Okta's group rename) is fine.
      const result = applyPatch({ ...current.data, id: current.id }, request, kind.schema, {
        lenientUnknownAttributes: true,
        external: kind.external,
      });
      const { id: _id, meta: _meta, ...patched } = result.resource;
      const data = kind.prepare(patched);
      const unknownMembers = await this.applyMemberOps(tx, ctx, kind, current.id, result.memberOps);
      let row = current;
      if (result.changed) row = await this.store.update(tx, kind.type, current, kind.columns(data), data);
      else if (result.memberOps.length) row = await this.store.touch(tx, kind.type, current);
      if (row !== current) {
        await this.record(tx, ctx, kind, 'patched', row.id, { warnings: result.warnings, unknownMembers, operations: request });
      }
      return this.renderOne(tx, ctx, kind, row, needs);
    });
  }

  async delete(ctx: ConnectorContext, kind: ResourceKind, id: string, ifMatch?: string | string[], em?: EntityManager): Promise<void> {
    await this.inTransaction(em, async (tx) => {
      const current = await this.findOrFail(tx, ctx, kind, id, true);
      checkIfMatch(ifMatch, current.version);
      await this.store.delete(tx, kind.type, ctx.connectorId, current.id);
      await this.record(tx, ctx, kind, 'deleted', current.id, {});
    });
  }

  async list(ctx: ConnectorContext, kind: ResourceKind, query: ListQuery, needs: Needs = NEED_ALL): Promise<{ total: number; resources: Rendered[] }> {
    const table = { alias: ROW_ALIAS, resourceType: kind.type };
    const where = query.filter ? compileFilter(parseIdpFilter(query.filter, { schemaUrns: kind.schema.schemaUrns }), kind.schema, table, 2) : null;
    const orderBy = query.sortBy
      ? compileOrderBy(parseAttrPath(query.sortBy, { schemaUrns: kind.schema.schemaUrns }), query.sortOrder, kind.schema, table)
      : `${ROW_ALIAS}.created_at, ${ROW_ALIAS}.id`;
    const { total, rows } = await this.store.list(kind.type, ctx.connectorId, where, orderBy, query.startIndex - 1, query.count);
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

  private inTransaction<T>(em: EntityManager | undefined, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return em ? work(em) : this.store.transaction(work);
  }

  private async findOrFail(em: EntityManager, ctx: ConnectorContext, kind: ResourceKind, id: string, lock = false): Promise<ScimRow> {
    const row = isUuid(id) ? await this.store.find(em, kind.type, ctx.connectorId, id, lock) : null;
    if (!row) throw new ScimError(404, undefined, `${kind.type} ${id} not found`);
    return row;
  }

  /** Applies the member changes in request order; returns the member values that name nothing here. */
  private async applyMemberOps(tx: EntityManager, ctx: ConnectorContext, kind: ResourceKind, groupId: string, ops: MemberOp[]): Promise<string[]> {
    const unknown: string[] = [];
    for (const op of ops) {
      switch (op.kind) {
        case 'add':
          unknown.push(...(await this.store.addMembers(tx, ctx.connectorId, groupId, op.values)).unknown);
          break;
        case 'replace':
          await this.store.removeAllMembers(tx, ctx.connectorId, groupId);
          unknown.push(...(await this.store.addMembers(tx, ctx.connectorId, groupId, op.values)).unknown);
          break;
        case 'remove':
          await this.store.removeMembers(tx, ctx.connectorId, groupId, op.values);
          break;
        case 'removeAll':
          await this.store.removeAllMembers(tx, ctx.connectorId, groupId);
          break;
        case 'removeWhere': {
          const membersDef = kind.schema.resolveText('members')!.attribute;
          const current = await this.store.membersOf([groupId], tx);
          const matching = current
            .filter((m) => matchValueFilter(op.filter, this.member(ctx, m), membersDef, kind.schema))
            .map((m) => m.member_id);
          await this.store.removeMembers(tx, ctx.connectorId, groupId, matching);
          break;
        }
      }
    }
    return unknown;
  }

  private record(tx: EntityManager, ctx: ConnectorContext, kind: ResourceKind, verb: string, id: string, details: Record<string, unknown>) {
    const interesting = Object.fromEntries(Object.entries(details).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
    return this.audit.record(
      {
        actor: `connector:${ctx.connectorId}`,
        action: `scim.${kind.type.toLowerCase()}.${verb}`,
        requestId: ctx.requestId,
        connectorId: ctx.connectorId,
        directoryId: ctx.directoryId,
        targetType: `scim_${kind.type.toLowerCase()}`,
        targetId: id,
        details: interesting,
      },
      tx,
    );
  }

  private async renderOne(em: EntityManager, ctx: ConnectorContext, kind: ResourceKind, row: ScimRow, needs: Needs): Promise<Rendered> {
    return (await this.render(em, ctx, kind, [row], needs))[0];
  }

  /** Rows to resources, with one query for the members (or groups) of the whole page. */
  private async render(em: EntityManager, ctx: ConnectorContext, kind: ResourceKind, rows: ScimRow[], needs: Needs): Promise<Rendered[]> {
    const ids = rows.map((r) => r.id);
    const members = new Map<string, JsonObject[]>();
    if (kind.type === 'Group' && needs.members) {
      for (const m of await this.store.membersOf(ids, em)) push(members, m.group_id, this.member(ctx, m));
    }
    const groups = new Map<string, JsonObject[]>();
    if (kind.type === 'User' && needs.groups) {
      for (const g of await this.store.groupsOf(ids, em)) {
        push(groups, g.member_id, { value: g.group_id, $ref: `${ctx.baseUrl}/Groups/${g.group_id}`, display: g.display, type: 'direct' });
      }
    }
    return rows.map((row) => {
      const { schemas, ...rest } = row.data;
      const location = `${ctx.baseUrl}${kind.endpoint}/${row.id}`;
      const resource: JsonObject = { schemas, id: row.id, ...rest };
      // RFC 7643 leaves an empty multi-valued attribute unassigned; IdPs (Okta) need `members: []`.
      if (kind.type === 'Group' && needs.members) resource.members = members.get(row.id) ?? [];
      if (kind.type === 'User' && groups.has(row.id)) resource.groups = groups.get(row.id);
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

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
