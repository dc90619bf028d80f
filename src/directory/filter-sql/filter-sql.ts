// The SCIM filter (RFC 7644 section 3.4.2.2) and sortBy (section 3.4.2.3) compiled to parameterised
// Postgres SQL over scim_users / scim_groups / scim_group_members: the SQL visitor of the filter AST,
// beside the in-memory matcher in libs/scim-core, whose documented semantics it reproduces (ne as
// "not eq", eq null as "not pr", any-element for multi-valued attributes, one element for `a[f]`).
//
// Every predicate compiled here is two-valued (never SQL NULL), so `not` is a plain NOT and a
// missing attribute answers as the matcher's `undefined` does. Filter values only ever travel as
// $n parameters; the only text inlined is attribute names and URNs from the schema definitions.

import {
  type AttrPath,
  type AttributeDef,
  type CompareOp,
  type Filter,
  parseScimDateTime,
  type ResourceSchema,
  type ScimValue,
  validateFilter,
} from '@roster/scim-core';
import { isUuid } from '../../common/uuid';
import {
  type Context,
  invalidFilter,
  narrow,
  type Operand,
  ResourceScope,
  type ScimTableMap,
  type Scope,
  type Source,
} from './operands';
import { Aliases, epochMillis, identifier, literal, NUMERIC_TEXT, Params, present } from './sql-text';

export type { ScimTableMap } from './operands';

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

type Ordered = Exclude<CompareOp, 'ne'>;

const ORDER_SQL: Record<'eq' | 'gt' | 'ge' | 'lt' | 'le', string> = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' };
/** The earliest instant a timestamptz parameter written as ISO 8601 can hold (year 1). */
const FIRST_ISO_INSTANT = Date.parse('0001-01-01T00:00:00Z');

/** The SQL operator for an ordering (or equality) comparison; substring operators have none. */
function orderSql(op: Ordered, attribute: AttributeDef): string {
  if (op === 'co' || op === 'sw' || op === 'ew') return invalidFilter(`Operator "${op}" applies to strings; "${attribute.name}" is ${attribute.type}`);
  return ORDER_SQL[op];
}

function context(schema: ResourceSchema, table: ScimTableMap, firstParam: number): Context {
  identifier(table.alias);
  return { schema, table, params: new Params(firstParam), aliases: new Aliases(table.alias) };
}

/**
 * Compiles `filter` to a boolean SQL expression over the row `table.alias`, with placeholders
 * numbered from `firstParam`. Throws ScimError(400, 'invalidFilter') for unknown attributes,
 * comparisons the attribute type does not allow, and attributes that exist only on the wire.
 */
export function compileFilter(filter: Filter, schema: ResourceSchema, table: ScimTableMap, firstParam: number): SqlFragment {
  validateFilter(filter, schema);
  const ctx = context(schema, table, firstParam);
  const sql = compile(ctx, filter, new ResourceScope(ctx), true);
  return { sql, params: ctx.params.values };
}

function compile(ctx: Context, f: Filter, scope: Scope, atResource: boolean): string {
  switch (f.kind) {
    case 'logical':
      return `(${compile(ctx, f.left, scope, atResource)} ${f.op === 'and' ? 'AND' : 'OR'} ${compile(ctx, f.right, scope, atResource)})`;
    case 'not':
      return `NOT ${compile(ctx, f.filter, scope, atResource)}`;
    case 'present': {
      const at = scope.locate(f.path);
      return exists(at.source, at.kind === 'complex' ? at.present : presentOperand(at.operand));
    }
    case 'compare':
      return compileCompare(ctx, f.path, f.op, f.value, scope, atResource);
    case 'valuePath': {
      const at = scope.locate(f.path);
      if (at.kind !== 'complex') return invalidFilter(`"${f.path.attr}[...]" needs a complex attribute`);
      const email = atResource ? emailInValueFilter(ctx, f.path, f.filter) : undefined;
      const inner = compile(ctx, f.filter, at.scope, false);
      const generic = exists(at.source, at.isObject === 'true' ? inner : `(${at.isObject} AND ${inner})`);
      return email ? `(${email} AND ${generic})` : generic;
    }
  }
}

function compileCompare(ctx: Context, path: AttrPath, op: CompareOp, value: ScimValue, scope: Scope, atResource: boolean): string {
  const at = scope.locate(path);
  // A multi-valued complex attribute compared as a whole compares its `value`s (RFC 7644 3.4.2.2).
  const compared = at.kind === 'complex' ? narrow(at, 'value') : at;
  if (compared.kind !== 'simple') return invalidFilter(`Cannot compare "${path.attr}" with "${op}"`);
  if (value === null) {
    // RFC 7643 2.5: null and unassigned are the same state, so `eq null` is "not present".
    const isPresent = exists(compared.source, presentOperand(compared.operand));
    return op === 'eq' ? `NOT ${isPresent}` : isPresent;
  }
  if (op === 'ne') return `NOT ${compileCompare(ctx, path, 'eq', value, scope, atResource)}`;
  const email = atResource && op === 'eq' && typeof value === 'string' && isUserEmails(ctx, path) ? emailIndexed(ctx, value) : undefined;
  const generic = exists(compared.source, compareOperand(ctx, compared.attribute, compared.operand, op, value));
  return email ? `(${email} AND ${generic})` : generic;
}

/** `EXISTS` over the rows of a multi-valued attribute, or the predicate itself for a single value. */
function exists(source: Source | undefined, predicate: string): string {
  if (!source) return predicate;
  return `EXISTS (SELECT 1 FROM ${source.from} WHERE ${[...source.where, predicate].join(' AND ')})`;
}

// ---- the emails fast path: ix_scim_users_emails is a GIN index on roster_email_values(data) ----

function isUserEmails(ctx: Context, path: AttrPath): boolean {
  if (ctx.table.resourceType !== 'User') return false;
  const r = ctx.schema.resolve(path);
  return !!r && !r.extension && !r.common && r.attribute.name === 'emails' && (!r.subAttribute || r.subAttribute.name === 'value');
}

/** A necessary condition the index can answer; the exact element check is ANDed beside it. */
function emailIndexed(ctx: Context, value: string): string {
  return `(roster_email_values(${ctx.table.alias}.data) @> ARRAY[lower(${ctx.params.add(value)})])`;
}

/** `emails[... and value eq "x" and ...]`: a `value eq` among the top-level conjuncts narrows by index. */
function emailInValueFilter(ctx: Context, path: AttrPath, inner: Filter): string | undefined {
  if (!isUserEmails(ctx, path) || ctx.schema.resolve(path)?.subAttribute) return undefined;
  const conjuncts = (f: Filter): Filter[] => (f.kind === 'logical' && f.op === 'and' ? [...conjuncts(f.left), ...conjuncts(f.right)] : [f]);
  const hit = conjuncts(inner).find(
    (f) => f.kind === 'compare' && f.op === 'eq' && typeof f.value === 'string' && f.path.attr.toLowerCase() === 'value' && !f.path.subAttr,
  );
  return hit?.kind === 'compare' && typeof hit.value === 'string' ? emailIndexed(ctx, hit.value) : undefined;
}

// ---- one value against the filter literal ----

function presentOperand(o: Operand): string {
  switch (o.kind) {
    case 'json':
      return present(o.json);
    case 'text':
      return o.nullable ? `(${o.sql} IS NOT NULL AND ${o.sql} <> '')` : `(${o.sql} <> '')`;
    case 'constant':
      return o.value === '' ? 'false' : 'true';
    case 'uuid':
    case 'boolean':
    case 'timestamp':
      return 'true';
  }
}

function compareOperand(ctx: Context, attribute: AttributeDef, o: Operand, op: Ordered, value: string | number | boolean): string {
  const p = (v: unknown): string => ctx.params.add(v);
  switch (o.kind) {
    case 'json':
      return compareJson(ctx, attribute, o, op, value);
    case 'text': {
      const predicate = compareText(o.sql, op, p(value), attribute.caseExact);
      return o.nullable ? `(${o.sql} IS NOT NULL AND ${predicate})` : predicate;
    }
    case 'constant':
      return compareText(literal(o.value), op, p(value), attribute.caseExact);
    case 'uuid': {
      const text = String(value);
      // The primary key / membership indexes answer a real uuid; anything else can only be compared as text
      // (and casting it would raise).
      if (op === 'eq' && isUuid(text) && (!attribute.caseExact || text === text.toLowerCase())) {
        return `(${o.sql} = ${p(text.toLowerCase())}::uuid)`;
      }
      return compareText(`${o.sql}::text`, op, p(text), attribute.caseExact);
    }
    case 'boolean':
      return `(${o.sql} = ${p(value)}::boolean)`;
    case 'timestamp':
      return compareTimestamp(o.sql, op, String(value), p);
  }
}

/** caseExact false folds both sides (RFC 7644 3.4.2.2); ordering is by code point, as the matcher's. */
function compareText(actual: string, op: Ordered, param: string, caseExact: boolean): string {
  const a = caseExact ? actual : `lower(${actual})`;
  const e = caseExact ? `${param}::text` : `lower(${param})`;
  switch (op) {
    case 'eq':
      return `(${a} = ${e})`;
    case 'co':
      return `(strpos(${a}, ${e}) > 0)`;
    case 'sw':
      return `starts_with(${a}, ${e})`;
    case 'ew':
      return `(right(${a}, length(${e})) = ${e})`;
    default:
      return `(${a} COLLATE "C" ${ORDER_SQL[op]} ${e})`;
  }
}

function compareJson(ctx: Context, attribute: AttributeDef, o: Extract<Operand, { kind: 'json' }>, op: Ordered, value: string | number | boolean): string {
  const p = (v: unknown): string => ctx.params.add(v);
  const { json, text } = o;
  switch (attribute.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return `(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${compareText(text, op, p(value), attribute.caseExact)} ELSE false END)`;
    case 'boolean':
      // validateFilter allows only eq (and ne, compiled as not eq) on Booleans.
      return `coalesce(${json} = to_jsonb(${p(value)}::boolean), false)`;
    case 'integer':
    case 'decimal': {
      const expected = p(value);
      const cmp = (actual: string): string => `${actual} ${orderSql(op, attribute)} ${expected}::numeric`;
      // The matcher reads a number stored as a numeral string too; the regex guards the cast.
      return (
        `(CASE jsonb_typeof(${json}) WHEN 'number' THEN ${cmp(`(${json})::numeric`)}` +
        ` WHEN 'string' THEN (CASE WHEN ${text} ~ '${NUMERIC_TEXT}' THEN ${cmp(`(${text})::numeric`)} ELSE false END) ELSE false END)`
      );
    }
    case 'dateTime': {
      const sqlOp = orderSql(op, attribute);
      const millis = parseScimDateTime(String(value));
      // Chronological when the stored text parses; otherwise, as the matcher does, the exact text.
      return (
        `(CASE WHEN jsonb_typeof(${json}) = 'string' THEN coalesce(${epochMillis(text)} ${sqlOp} ${p(millis)}::bigint,` +
        ` ${text} COLLATE "C" ${sqlOp} ${p(value)}::text) ELSE false END)`
      );
    }
    case 'complex':
      return invalidFilter(`Cannot compare the complex attribute "${attribute.name}"`);
  }
}

/**
 * Resources render meta.created / lastModified at millisecond precision (toISOString), while the
 * columns hold microseconds: comparing against millisecond buckets keeps `eq` of a rendered value
 * true, and the bounds stay plain column comparisons that ix_*_connector_created can use.
 */
function compareTimestamp(column: string, op: Ordered, value: string, p: (v: unknown) => string): string {
  const millis = parseScimDateTime(value);
  if (millis === undefined) return invalidFilter(`"${value}" is not an xsd:dateTime`);
  // Before year 1 nothing ISO 8601 can spell for Postgres exists; every stored timestamp is later.
  const at = (ms: number): string => p(ms < FIRST_ISO_INSTANT ? '-infinity' : new Date(ms).toISOString());
  switch (op) {
    case 'eq':
      return `(${column} >= ${at(millis)}::timestamptz AND ${column} < ${at(millis + 1)}::timestamptz)`;
    case 'gt':
      return `(${column} >= ${at(millis + 1)}::timestamptz)`;
    case 'ge':
      return `(${column} >= ${at(millis)}::timestamptz)`;
    case 'lt':
      return `(${column} < ${at(millis)}::timestamptz)`;
    case 'le':
      return `(${column} < ${at(millis + 1)}::timestamptz)`;
    default:
      return invalidFilter(`Operator "${op}" is not defined for dateTime attributes`);
  }
}

// ---- sortBy ----

/**
 * An ORDER BY expression for `sortBy` (RFC 7644 3.4.2.3), NULL where the resource has no value so
 * that Postgres' default NULLS LAST / NULLS FIRST places them last ascending and first descending,
 * as the RFC asks. A multi-valued attribute sorts by its primary element, else its first; a complex
 * one by its `value`. An unknown or unsortable attribute is ScimError(400, 'invalidFilter'): sorting
 * silently by nothing would return a differently ordered page than the client asked for.
 * Nothing from the request is inlined: the expression holds only schema names.
 */
export function compileSortBy(path: AttrPath, schema: ResourceSchema, table: ScimTableMap): string {
  if (!schema.resolve(path)) invalidFilter(`Unknown attribute "${path.attr}${path.subAttr ? `.${path.subAttr}` : ''}" in sortBy`);
  const ctx = context(schema, table, 1);
  let at = new ResourceScope(ctx).locate(path);
  if (at.kind === 'complex') {
    if (!at.attribute.multiValued || !schema.valueSubAttribute(at.attribute)) {
      invalidFilter(`Cannot sort by the complex attribute "${at.attribute.name}"; name one of its sub-attributes`);
    }
    at = narrow(at, 'value');
  }
  if (at.kind !== 'simple') return invalidFilter(`Cannot sort by "${path.attr}"`);
  const value = sortValue(at.attribute, at.operand);
  if (!at.source) return value;
  const ordered = at.source.ordered;
  if (!ordered) return invalidFilter(`Cannot sort by "${path.attr}": its values have no first element`);
  const where = at.source.where.length ? ` WHERE ${at.source.where.join(' AND ')}` : '';
  return `(SELECT ${value} FROM ${ordered.from}${where} ORDER BY ${ordered.orderBy.join(', ')} LIMIT 1)`;
}

/** The ORDER BY clause body for sortBy and sortOrder, with the id as a tie-breaker for stable paging. */
export function compileOrderBy(path: AttrPath, sortOrder: 'ascending' | 'descending', schema: ResourceSchema, table: ScimTableMap): string {
  const direction = sortOrder === 'descending' ? 'DESC' : 'ASC';
  return `${compileSortBy(path, schema, table)} ${direction}, ${identifier(table.alias)}.id ${direction}`;
}

function sortValue(attribute: AttributeDef, o: Operand): string {
  const fold = (sql: string): string => (attribute.caseExact ? sql : `lower(${sql})`);
  switch (o.kind) {
    case 'text':
      return fold(o.sql);
    case 'uuid':
    case 'boolean':
    case 'timestamp':
      return o.sql;
    case 'constant':
      return literal(o.value);
    case 'json':
      break;
  }
  const { json, text } = o;
  switch (attribute.type) {
    case 'string':
    case 'reference':
    case 'binary':
      // "" is not a value (RFC 7644 `pr`), so it sorts with the missing ones.
      return `(CASE WHEN jsonb_typeof(${json}) = 'string' THEN nullif(${fold(text)}, '') END)`;
    case 'boolean':
      return `(CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN (${json})::boolean END)`;
    case 'integer':
    case 'decimal':
      return (
        `(CASE jsonb_typeof(${json}) WHEN 'number' THEN (${json})::numeric` +
        ` WHEN 'string' THEN (CASE WHEN ${text} ~ '${NUMERIC_TEXT}' THEN (${text})::numeric END) END)`
      );
    case 'dateTime':
      return `(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${epochMillis(text)} END)`;
    case 'complex':
      return invalidFilter(`Cannot sort by the complex attribute "${attribute.name}"`);
  }
}
