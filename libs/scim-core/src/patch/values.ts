// Checks PATCH values against attribute definitions (RFC 7643 section 2.3 data types, 2.4
// multi-valued attributes) and rewrites them with canonical sub-attribute names. Refusals are
// ScimError 400 invalidValue; unknown sub-attributes go through the caller's `unknown` hook, which
// throws (strict) or records a warning and skips the sub-attribute (lenient).

import { ScimError } from '../errors';
import { parseScimDateTime } from '../filter/parser';
import type { ResourceSchema } from '../schema/resource-schema';
import type { AttributeDef } from '../schema/types';
import { isObject, type JsonObject } from './json';

export interface ValueContext {
  schema: ResourceSchema;
  /** Reports an unknown attribute or sub-attribute: throws invalidPath, or warns and returns. */
  unknown(detail: string): void;
}

export function invalidValue(detail: string): never {
  throw new ScimError(400, 'invalidValue', detail);
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isObject(v)) return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function expect(name: string, what: string, v: unknown): never {
  return invalidValue(`"${name}" expects ${what}, found ${describeValue(v)}`);
}

function checkSimple(def: AttributeDef, v: unknown, name: string): unknown {
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return typeof v === 'string' ? v : expect(name, def.type === 'string' ? 'a string' : `a ${def.type} (string)`, v);
    case 'boolean':
      return typeof v === 'boolean' ? v : expect(name, 'true or false', v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? v : expect(name, 'an integer', v);
    case 'decimal':
      return typeof v === 'number' && Number.isFinite(v) ? v : expect(name, 'a number', v);
    case 'dateTime':
      return typeof v === 'string' && parseScimDateTime(v) !== undefined
        ? v
        : expect(name, 'an xsd:dateTime such as "2011-05-13T04:42:34Z"', v);
    case 'complex':
      throw new Error(`checkSimple called on complex attribute ${name}`);
  }
}

export interface ComplexValue {
  /** Sub-attributes to assign, under their canonical names. */
  set: JsonObject;
  /** Sub-attributes given as null: unassigned by a merge (RFC 7643 2.5), dropped from new values. */
  unset: string[];
}

/**
 * A complex value with canonical sub-attribute names. A bare primitive where the attribute has a
 * `value` sub-attribute reads as `{ value }`: Microsoft's reference tests send group members as
 * strings and Entra ID sends `manager` as the manager's id.
 */
export function normaliseComplex(def: AttributeDef, v: unknown, name: string, ctx: ValueContext): ComplexValue {
  if (!isObject(v)) {
    const valueSub = ctx.schema.resolveSub(def, 'value');
    if (valueSub && !Array.isArray(v) && v !== null && !valueSub.multiValued && valueSub.type !== 'complex') {
      return { set: { [valueSub.name]: checkSimple(valueSub, v, `${name}.${valueSub.name}`) }, unset: [] };
    }
    return expect(name, 'an object of sub-attributes', v);
  }
  const set: JsonObject = {};
  const unset: string[] = [];
  for (const [key, raw] of Object.entries(v)) {
    const sub = ctx.schema.resolveSub(def, key);
    // A null carries nothing to store, so an unknown name with it (`"$ref": null` where the schema
    // has no $ref) is dropped without complaint.
    if (!sub && raw === null) continue;
    if (!sub) {
      ctx.unknown(`Unknown sub-attribute "${key}" of "${name}"`);
      continue;
    }
    delete set[sub.name];
    if (raw === null) {
      if (!unset.includes(sub.name)) unset.push(sub.name);
      continue;
    }
    const i = unset.indexOf(sub.name);
    if (i >= 0) unset.splice(i, 1);
    set[sub.name] = checkValue(sub, raw, `${name}.${sub.name}`, ctx);
  }
  return { set, unset };
}

function checkSingle(def: AttributeDef, v: unknown, name: string, ctx: ValueContext): unknown {
  return def.type === 'complex' ? normaliseComplex(def, v, name, ctx).set : checkSimple(def, v, name);
}

/**
 * A complete new value for `def` (not null: callers treat null as "unassign" before this point).
 * A multi-valued attribute given one value gets it wrapped: OneLogin sends `emails` as one object.
 */
export function checkValue(def: AttributeDef, v: unknown, name: string, ctx: ValueContext): unknown {
  if (def.multiValued) {
    const list = Array.isArray(v) ? v : [v];
    return list.map((el) => (el === null ? invalidValue(`"${name}" cannot hold null values`) : checkSingle(def, el, name, ctx)));
  }
  if (Array.isArray(v)) return invalidValue(`"${name}" is single-valued, found an array`);
  return checkSingle(def, v, name, ctx);
}
