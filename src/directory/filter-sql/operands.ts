// Where each attribute of a SCIM resource lives in scim_users / scim_groups / scim_group_members:
// the indexed columns, the `data` jsonb, or membership rows. A path is located within a scope (the
// resource row, or one element of a complex attribute inside `attr[...]`).

import { ScimError, type AttrPath, type AttributeDef, type ResourceSchema } from '@roster/scim-core';
import { Aliases, elementsOf, literal, present, Params } from './sql-text';

export interface ScimTableMap {
  /** The alias the caller gives the resource table, e.g. `r` in `FROM scim_users r`. */
  alias: string;
  resourceType: 'User' | 'Group';
}

/** One value of an attribute, as SQL. */
export type Operand =
  /** A jsonb value (SQL NULL when absent); `text` is its ->> form. */
  | { kind: 'json'; json: string; text: string }
  /** A text column or expression. */
  | { kind: 'text'; sql: string; nullable: boolean }
  /** A uuid column, rendered as lower-case text. */
  | { kind: 'uuid'; sql: string }
  | { kind: 'boolean'; sql: string }
  /** A timestamptz column, rendered (toISOString) at millisecond precision. */
  | { kind: 'timestamp'; sql: string }
  /** A value fixed by the table, such as meta.resourceType. */
  | { kind: 'constant'; value: string };

/** The rows a multi-valued attribute expands to: `EXISTS (SELECT 1 FROM <from> WHERE <where>...)`. */
export interface Source {
  from: string;
  where: string[];
  /**
   * The same rows with the RFC 7644 3.4.2.3 sort order: the primary element first, else the first in
   * the list. Absent where no element order exists.
   */
  ordered?: { from: string; orderBy: string[] };
}

export interface Scope {
  /** Locates a path relative to this scope (already checked by validateFilter). */
  locate(path: AttrPath): Located;
}

/** What a path designates: at most one value (no source) or one per row of the source. */
export type Located =
  | { kind: 'simple'; attribute: AttributeDef; source?: Source; operand: Operand }
  | {
      kind: 'complex';
      attribute: AttributeDef;
      source?: Source;
      /** The sub-attributes of one element. */
      scope: Scope;
      /** Whether one element is present (RFC 7644 `pr`). */
      present: string;
      /** Whether one element is an object (the matcher evaluates `attr[...]` only on objects). */
      isObject: string;
    };

export interface Context {
  schema: ResourceSchema;
  table: ScimTableMap;
  params: Params;
  aliases: Aliases;
}

export function invalidFilter(detail: string): never {
  throw new ScimError(400, 'invalidFilter', detail);
}

/** Joins sources (a multi-valued sub-attribute of a multi-valued attribute), innermost last. */
export function joinSources(outer: Source | undefined, inner: Source | undefined): Source | undefined {
  if (!outer) return inner;
  if (!inner) return outer;
  // No "first element" of a list of lists is defined, so the joined source has no order.
  return { from: `${outer.from} CROSS JOIN LATERAL ${inner.from}`, where: [...outer.where, ...inner.where] };
}

/** A sub-attribute of every element of a complex attribute. */
export function narrow(located: Extract<Located, { kind: 'complex' }>, subAttr: string): Located {
  const inner = located.scope.locate({ attr: subAttr });
  const source = joinSources(located.source, inner.source);
  return source ? { ...inner, source } : inner;
}

/** The value(s) of `attribute`, stored at `json` (jsonb SQL); keyed is the ->> form when there is one. */
function jsonValues(ctx: Context, attribute: AttributeDef, json: string, keyed: string): Located {
  let source: Source | undefined;
  let value = json;
  let text = keyed;
  if (attribute.multiValued) {
    const e = ctx.aliases.next('e');
    const o = ctx.aliases.next('o');
    const hasPrimary = attribute.subAttributes?.some((s) => s.name === 'primary' && s.type === 'boolean');
    source = {
      from: `${elementsOf(json)} ${e}`,
      where: [],
      ordered: {
        from: `${elementsOf(json)} WITH ORDINALITY AS ${o}(${e}, n)`,
        orderBy: [...(hasPrimary ? [`coalesce(${e}->'primary' = 'true'::jsonb, false) DESC`] : []), `${o}.n`],
      },
    };
    value = e;
    text = `(${e} #>> '{}')`;
  }
  if (attribute.type !== 'complex') return { kind: 'simple', attribute, ...(source ? { source } : {}), operand: { kind: 'json', json: value, text } };
  return {
    kind: 'complex',
    attribute,
    ...(source ? { source } : {}),
    scope: new JsonElementScope(ctx, attribute, value),
    present: present(value),
    isObject: `coalesce(jsonb_typeof(${value}) = 'object', false)`,
  };
}

function member(ctx: Context, base: string, attribute: AttributeDef): Located {
  return jsonValues(ctx, attribute, `${base}->${literal(attribute.name)}`, `${base}->>${literal(attribute.name)}`);
}

/** The inside of `attr[...]` (or `attr.sub`) for a complex attribute stored in `data`. */
class JsonElementScope implements Scope {
  constructor(
    private readonly ctx: Context,
    private readonly parent: AttributeDef,
    private readonly element: string,
  ) {}

  locate(path: AttrPath): Located {
    const sub = this.ctx.schema.resolveSub(this.parent, path.attr);
    if (!sub) return invalidFilter(`Unknown sub-attribute "${path.attr}" of "${this.parent.name}"`);
    if (sub.type === 'complex') return invalidFilter(`"${this.parent.name}.${sub.name}" is complex; RFC 7643 2.3.8 allows no such sub-attribute`);
    return member(this.ctx, this.element, sub);
  }
}

/** Sub-attributes `meta` has on the wire, and the column each is rendered from. */
class MetaScope implements Scope {
  constructor(
    private readonly ctx: Context,
    private readonly meta: AttributeDef,
  ) {}

  locate(path: AttrPath): Located {
    const sub = this.ctx.schema.resolveSub(this.meta, path.attr);
    if (!sub) return invalidFilter(`Unknown sub-attribute "${path.attr}" of "meta"`);
    const a = this.ctx.table.alias;
    switch (sub.name) {
      case 'created':
        return { kind: 'simple', attribute: sub, operand: { kind: 'timestamp', sql: `${a}.created_at` } };
      case 'lastModified':
        return { kind: 'simple', attribute: sub, operand: { kind: 'timestamp', sql: `${a}.updated_at` } };
      case 'resourceType':
        return { kind: 'simple', attribute: sub, operand: { kind: 'constant', value: this.ctx.table.resourceType } };
      default:
        // location needs the public base URL and version is rendered by the ETag code: neither is in the row.
        return invalidFilter(`Filtering on "meta.${sub.name}" is not supported`);
    }
  }
}

type Membership = 'members' | 'groups';

/** Correlation names of one membership row and of the resources joined to it for `display`. */
interface MembershipRow {
  m: string;
  u: string;
  g: string;
}

/** One membership row: a Group's `members` element, or a User's `groups` element. */
class MembershipScope implements Scope {
  constructor(
    private readonly ctx: Context,
    private readonly parent: AttributeDef,
    private readonly which: Membership,
    private readonly row: MembershipRow,
  ) {}

  locate(path: AttrPath): Located {
    const sub = this.ctx.schema.resolveSub(this.parent, path.attr);
    if (!sub) return invalidFilter(`Unknown sub-attribute "${path.attr}" of "${this.parent.name}"`);
    return { kind: 'simple', attribute: sub, operand: this.operand(sub) };
  }

  private operand(sub: AttributeDef): Operand {
    const { m, u, g } = this.row;
    switch (`${this.which}.${sub.name}`) {
      case 'members.value':
        return { kind: 'uuid', sql: `${m}.member_id` };
      case 'members.type':
        return { kind: 'text', sql: `${m}.member_type`, nullable: false };
      case 'members.display':
        // As ScimResourceStore.membersOf renders it.
        return { kind: 'text', sql: `coalesce(${m}.display, ${u}.display_name, ${u}.user_name, ${g}.display_name)`, nullable: true };
      case 'groups.value':
        return { kind: 'uuid', sql: `${m}.group_id` };
      case 'groups.display':
        return { kind: 'text', sql: `${g}.display_name`, nullable: true };
      case 'groups.type':
        // Only direct memberships are stored (RFC 7643 4.1.2 "direct" / "indirect").
        return { kind: 'constant', value: 'direct' };
      default:
        // $ref needs the public base URL, which the row does not know.
        return invalidFilter(`Filtering on "${this.parent.name}.${sub.name}" is not supported`);
    }
  }
}

function membership(ctx: Context, attribute: AttributeDef, which: Membership): Located {
  const row = { m: ctx.aliases.next('m'), u: ctx.aliases.next('u'), g: ctx.aliases.next('g') };
  const { m, u, g } = row;
  const a = ctx.table.alias;
  // Left joins on unique keys: Postgres drops them from the plan unless `display` is used.
  const from =
    which === 'members'
      ? `scim_group_members ${m} LEFT JOIN scim_users ${u} ON ${m}.member_type = 'User' AND ${u}.id = ${m}.member_id` +
        ` LEFT JOIN scim_groups ${g} ON ${m}.member_type = 'Group' AND ${g}.id = ${m}.member_id`
      : `scim_group_members ${m} LEFT JOIN scim_groups ${g} ON ${g}.id = ${m}.group_id`;
  const correlation = which === 'members' ? `${m}.group_id = ${a}.id` : `${m}.member_id = ${a}.id`;
  // The order ScimResourceStore.membersOf / groupsOf render the list in.
  const orderBy = which === 'members' ? [`${m}.created_at`, `${m}.member_id`] : [`${g}.display_name`, `${m}.group_id`];
  return {
    kind: 'complex',
    attribute,
    source: { from, where: [correlation], ordered: { from, orderBy } },
    scope: new MembershipScope(ctx, attribute, which, row),
    // Every row has a value, so every row is a present element.
    present: 'true',
    isObject: 'true',
  };
}

/** The resource row itself: columns for what they are authoritative for, `data` for the rest. */
export class ResourceScope implements Scope {
  constructor(private readonly ctx: Context) {}

  locate(path: AttrPath): Located {
    const resolved = this.ctx.schema.resolve(path);
    if (!resolved) return invalidFilter(`Unknown attribute "${path.attr}"`);
    const { attribute, subAttribute } = resolved;
    const located = this.top(attribute, resolved.common, resolved.extension ? resolved.schema : undefined);
    if (!subAttribute) return located;
    if (located.kind !== 'complex') return invalidFilter(`"${attribute.name}" has no sub-attributes`);
    return narrow(located, subAttribute.name);
  }

  /** A top-level attribute (the caller narrows to a sub-attribute through the returned scope). */
  private top(attribute: AttributeDef, common: boolean, extension: string | undefined): Located {
    const { alias: a, resourceType } = this.ctx.table;
    const column = (operand: Operand): Located => ({ kind: 'simple', attribute, operand });
    if (common) {
      switch (attribute.name) {
        case 'id':
          return column({ kind: 'uuid', sql: `${a}.id` });
        case 'externalId':
          return column({ kind: 'text', sql: `${a}.external_id`, nullable: true });
        case 'meta':
          return { kind: 'complex', attribute, scope: new MetaScope(this.ctx, attribute), present: 'true', isObject: 'true' };
      }
    } else if (!extension && resourceType === 'User') {
      switch (attribute.name) {
        case 'userName':
          return column({ kind: 'text', sql: `${a}.user_name`, nullable: false });
        case 'active':
          return column({ kind: 'boolean', sql: `${a}.active` });
        case 'groups':
          return membership(this.ctx, attribute, 'groups');
      }
    } else if (!extension && resourceType === 'Group') {
      switch (attribute.name) {
        case 'displayName':
          return column({ kind: 'text', sql: `${a}.display_name`, nullable: false });
        case 'members':
          return membership(this.ctx, attribute, 'members');
      }
    }
    const container = extension ? `${a}.data->${literal(extension)}` : `${a}.data`;
    return member(this.ctx, container, attribute);
  }
}
