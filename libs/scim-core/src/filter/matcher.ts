// In-memory evaluation of an RFC 7644 section 3.4.2.2 filter over a SCIM JSON resource (RFC 7643
// representation), one visitor over the AST; the SQL compiler in src/directory must agree with it.
//
// Semantics, where the RFC leaves room:
// - Attribute names and extension URN keys are looked up in the resource case-insensitively.
// - Strings compare by the attribute's caseExact; `gt`/`lt` on strings compare UTF-16 code units
//   (what a "C" collation does), after lower-casing when caseExact is false.
// - dateTime compares chronologically, integer and decimal numerically, Boolean only with eq/ne.
// - A multi-valued attribute matches when any of its values matches. A multi-valued complex
//   attribute compared without a sub-attribute (`emails co "x"`) compares its `value`s.
// - `pr`: present and not null, "", [] or an object with nothing present in it.
// - `ne` is the negation of `eq`: it matches when the attribute is missing or null, and for a
//   multi-valued attribute when no value equals. That keeps `a ne v` and `not (a eq v)` the same
//   filter, so `userType ne "Employee"` includes users without a userType (RFC 7644 example 14's
//   intent).
// - `eq null` matches exactly when `pr` does not; `ne null` exactly when `pr` does.
// - `a[f]` matches when one single element satisfies all of f (that is what grouping is for);
//   `a.b op v` and `a[b op v]` coincide only for single conditions.

import { ScimError } from '../errors';
import type { ResolvedAttribute, ResourceSchema } from '../schema/resource-schema';
import { findKey } from '../schema/resource-schema';
import type { AttributeDef } from '../schema/types';
import type { AttrPath, CompareOp, Filter, ScimValue } from './ast';
import { comparisonTarget, parseScimDateTime, validateFilter, validateValueFilter } from './parser';

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(obj: Json, name: string): Json {
  if (!isObject(obj)) return undefined;
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

function asList(v: Json): Json[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** RFC 7644 `pr`: "has a non-empty value, or ... a non-empty node for complex attributes". */
export function isPresent(v: Json): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.some(isPresent);
  if (isObject(v)) return Object.values(v).some(isPresent);
  return true;
}

/** Where to evaluate: the whole resource, or one element of `parent[...]`. */
type Scope = { kind: 'resource'; resource: Json } | { kind: 'element'; element: Json; parent: AttributeDef };

interface Located {
  /** The values the path reaches, multi-valued attributes flattened. */
  values: Json[];
  /** The attribute those values belong to. */
  attribute: AttributeDef;
  name: string;
}

function resolveOrThrow(path: AttrPath, schema: ResourceSchema): ResolvedAttribute {
  const r = schema.resolve(path);
  // Unreachable after validateFilter; kept so that evaluation never reads an unknown attribute.
  if (!r) throw new ScimError(400, 'invalidFilter', `Unknown attribute "${path.attr}"`);
  return r;
}

function locate(path: AttrPath, scope: Scope, schema: ResourceSchema): Located {
  if (scope.kind === 'element') {
    const sub = schema.resolveSub(scope.parent, path.attr);
    if (!sub) throw new ScimError(400, 'invalidFilter', `Unknown sub-attribute "${path.attr}" of "${scope.parent.name}"`);
    return { values: asList(get(scope.element, sub.name)), attribute: sub, name: `${scope.parent.name}.${sub.name}` };
  }
  const r = resolveOrThrow(path, schema);
  const container = r.extension ? get(scope.resource, r.schema) : scope.resource;
  const top = asList(get(container, r.attribute.name));
  if (!r.subAttribute) return { values: top, attribute: r.attribute, name: r.attribute.name };
  const sub = r.subAttribute;
  return { values: top.flatMap((el) => asList(get(el, sub.name))), attribute: sub, name: `${r.attribute.name}.${sub.name}` };
}

function fold(s: string, caseExact: boolean): string {
  return caseExact ? s : s.toLowerCase();
}

function order(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One attribute value against the filter literal, by the attribute's type. */
function compareOne(attribute: AttributeDef, actual: Json, op: Exclude<CompareOp, 'ne'>, expected: Exclude<ScimValue, null>): boolean {
  if (actual === undefined || actual === null) return false;
  switch (attribute.type) {
    case 'boolean':
      return op === 'eq' && actual === expected;
    case 'integer':
    case 'decimal': {
      const a = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
      if (typeof expected !== 'number' || Number.isNaN(a)) return false;
      return byOrder(op, order(a, expected));
    }
    case 'dateTime': {
      const a = typeof actual === 'string' ? parseScimDateTime(actual) : undefined;
      const e = typeof expected === 'string' ? parseScimDateTime(expected) : undefined;
      if (a !== undefined && e !== undefined) return byOrder(op, order(a, e));
      // An unparseable stored value still gets a deterministic answer: compare the text.
      return typeof actual === 'string' && typeof expected === 'string' && compareText(op, actual, expected, true);
    }
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      return compareText(op, actual, expected, attribute.caseExact);
    case 'complex':
      return false;
  }
}

function compareText(op: Exclude<CompareOp, 'ne'>, actual: string, expected: string, caseExact: boolean): boolean {
  const a = fold(actual, caseExact);
  const e = fold(expected, caseExact);
  switch (op) {
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    default:
      return byOrder(op, order(a, e));
  }
}

function byOrder(op: Exclude<CompareOp, 'ne'>, c: number): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    default:
      return false;
  }
}

function evaluate(f: Filter, scope: Scope, schema: ResourceSchema): boolean {
  switch (f.kind) {
    case 'logical':
      return f.op === 'and'
        ? evaluate(f.left, scope, schema) && evaluate(f.right, scope, schema)
        : evaluate(f.left, scope, schema) || evaluate(f.right, scope, schema);
    case 'not':
      return !evaluate(f.filter, scope, schema);
    case 'present':
      return locate(f.path, scope, schema).values.some(isPresent);
    case 'compare': {
      const at = locate(f.path, scope, schema);
      const compared = comparisonTarget(at.attribute, at.name, f.op, schema);
      const values = compared === at.attribute ? at.values : at.values.map((el) => get(el, compared.name));
      if (f.value === null) {
        const present = values.some(isPresent);
        return f.op === 'eq' ? !present : present;
      }
      const expected = f.value;
      if (f.op === 'ne') return !values.some((v) => compareOne(compared, v, 'eq', expected));
      const op = f.op;
      return values.some((v) => compareOne(compared, v, op, expected));
    }
    case 'valuePath': {
      const at = locate(f.path, scope, schema);
      return at.values.some((el) => isObject(el) && evaluate(f.filter, { kind: 'element', element: el, parent: at.attribute }, schema));
    }
  }
}

// Filters are immutable ASTs, usually evaluated against many resources or elements: each is
// validated once per schema (whole-resource filters) or per parent attribute (value filters).
const validatedFor = new WeakMap<object, WeakSet<Filter>>();

function validateOnce(f: Filter, key: object, validate: () => void): void {
  let seen = validatedFor.get(key);
  if (!seen) validatedFor.set(key, (seen = new WeakSet()));
  if (seen.has(f)) return;
  validate();
  seen.add(f);
}

/**
 * Whether a SCIM resource (JSON as in RFC 7643 section 8) matches the filter. Validates the filter
 * against the schema first, so unknown attributes and invalid comparisons throw invalidFilter
 * whatever the resource holds.
 */
export function matchFilter(f: Filter, resource: object, schema: ResourceSchema): boolean {
  validateOnce(f, schema, () => validateFilter(f, schema));
  return evaluate(f, { kind: 'resource', resource }, schema);
}

/**
 * Whether one element of the multi-valued complex attribute `parentAttr` satisfies `f`, whose paths
 * are relative to the element (the inside of `emails[type eq "work"]`). For PATCH target selection;
 * throws invalidFilter as validateValueFilter does.
 */
export function matchValueFilter(f: Filter, element: unknown, parentAttr: AttributeDef, schema: ResourceSchema): boolean {
  validateOnce(f, parentAttr, () => validateValueFilter(f, parentAttr, schema));
  return isObject(element) && evaluate(f, { kind: 'element', element, parent: parentAttr }, schema);
}
