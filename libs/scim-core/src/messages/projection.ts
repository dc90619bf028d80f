// Resource projection: the `attributes` and `excludedAttributes` parameters of RFC 7644 sections
// 3.4.2.5 and 3.9 applied to a SCIM JSON resource, by the `returned` characteristic of RFC 7643
// section 2.2: `always` is always returned (id, schemas), `never` never (password), `request` only
// when named in `attributes`, `default` unless excluded or unless `attributes` leaves it out.
//
// Decisions where the RFC leaves room:
// - When both parameters are given, `attributes` wins and `excludedAttributes` is ignored.
// - A name may be a sub-attribute (`name.givenName`, `emails.value`), URN-qualified
//   (`urn:...:User:userName`), or a whole schema URN (`urn:...:enterprise:2.0:User`: all of that
//   extension's default attributes; excluded: none of them). Names are case-insensitive.
// - Names that resolve to nothing are ignored rather than refused: a client asking for an
//   attribute this server lacks gets the rest, as it would from a server without the extension.
//   A name that is not an attribute path at all is refused (400 invalidValue).
// - Attributes the schema does not define are kept when only excluding (the store wrote them),
//   dropped when selecting.
// - A complex value left with nothing in it is omitted, as are extension objects left empty.

import { ScimError } from '../errors';
import type { AttrPath } from '../filter/ast';
import { parseAttrPath } from '../path/attr-path';
import type { ResourceSchema } from '../schema/resource-schema';
import type { AttributeDef, SchemaDef } from '../schema/types';
import { isObject, isUnassigned, type JsonObject } from '../patch/json';

export interface ProjectionOptions {
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

/**
 * Splits an `attributes` / `excludedAttributes` parameter ("userName,name.givenName,urn:...:c")
 * into trimmed names; repeated query parameters may come as an array. Empty input gives [].
 */
export function parseAttributeList(text: string | readonly string[] | undefined | null): string[] {
  if (text === undefined || text === null) return [];
  const parts = typeof text === 'string' ? [text] : text;
  return parts.flatMap((p) => p.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** What a parameter names, per schema and attribute (lower-cased keys). */
interface Selection {
  /** Whole schemas named (lower-cased URNs). */
  schemas: Set<string>;
  /** `urn|attr` for whole attributes. */
  whole: Set<string>;
  /** `urn|attr` to the lower-cased sub-attribute names named. */
  subs: Map<string, Set<string>>;
}

function key(schemaId: string, attr: string): string {
  return `${schemaId.toLowerCase()}|${attr.toLowerCase()}`;
}

function select(names: readonly string[], schema: ResourceSchema): Selection {
  const sel: Selection = { schemas: new Set(), whole: new Set(), subs: new Map() };
  for (const name of names) {
    let path: AttrPath;
    try {
      path = parseAttrPath(name, { schemaUrns: schema.schemaUrns });
    } catch (e) {
      if (e instanceof ScimError) throw new ScimError(400, 'invalidValue', `"${name}" is not an attribute name: ${e.detail}`);
      throw e;
    }
    const whole = schema.wholeSchema(path);
    if (whole) {
      sel.schemas.add(whole.id.toLowerCase());
      continue;
    }
    const resolved = schema.resolve(path);
    if (!resolved) continue;
    const k = key(resolved.schema, resolved.attribute.name);
    if (!resolved.subAttribute) {
      sel.whole.add(k);
      continue;
    }
    let subs = sel.subs.get(k);
    if (!subs) sel.subs.set(k, (subs = new Set()));
    subs.add(resolved.subAttribute.name.toLowerCase());
  }
  return sel;
}

type Mode = { kind: 'include'; sel: Selection } | { kind: 'exclude'; sel: Selection };

/** Which sub-attributes of a complex value to keep, or undefined to drop the attribute. */
type SubRule = (sub: AttributeDef | undefined) => boolean;

function topRule(def: AttributeDef, schemaId: string, mode: Mode): SubRule | undefined {
  if (def.returned === 'never') return undefined;
  const k = key(schemaId, def.name);
  const subsNamed = mode.sel.subs.get(k);
  const wholeNamed = mode.sel.whole.has(k) || mode.sel.schemas.has(schemaId.toLowerCase());
  const subDefault = (sub: AttributeDef | undefined): boolean => !sub || (sub.returned !== 'never' && sub.returned !== 'request');
  const subAlways = (sub: AttributeDef | undefined): boolean => !!sub && sub.returned === 'always';
  const subNamed = (sub: AttributeDef | undefined): boolean => !!sub && sub.returned !== 'never' && !!subsNamed?.has(sub.name.toLowerCase());

  if (def.returned === 'always') {
    return (sub) => subDefault(sub) || subNamed(sub);
  }
  if (mode.kind === 'include') {
    // A whole schema named brings its default attributes, not the ones returned on request only.
    const explicitlyWhole = mode.sel.whole.has(k);
    if (explicitlyWhole || (wholeNamed && def.returned === 'default')) return (sub) => (!!sub && subDefault(sub)) || subNamed(sub);
    if (subsNamed) return (sub) => subAlways(sub) || subNamed(sub);
    return undefined;
  }
  if (def.returned === 'request' || wholeNamed) return undefined;
  // Excluding `name.givenName` keeps the rest of `name`.
  return (sub) => subAlways(sub) || (subDefault(sub) && !subsNamed?.has(sub?.name.toLowerCase() ?? ''));
}

function projectComplex(def: AttributeDef, value: unknown, keep: SubRule, schema: ResourceSchema): unknown {
  const one = (el: unknown): unknown => {
    if (!isObject(el)) return el;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(el)) if (keep(schema.resolveSub(def, k))) out[k] = v;
    return isUnassigned(out) ? undefined : out;
  };
  if (Array.isArray(value)) {
    const list = value.map(one).filter((el) => el !== undefined);
    return list.length ? list : undefined;
  }
  return one(value);
}

function projectContainer(container: JsonObject, s: SchemaDef, schema: ResourceSchema, mode: Mode, skip: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(container)) {
    if (skip.has(k.toLowerCase())) continue;
    const def = schema.attributeFor(s.id, k);
    if (!def) {
      if (mode.kind === 'exclude') out[k] = v;
      continue;
    }
    const keep = topRule(def, s.id, mode);
    if (!keep) continue;
    const projected = def.type === 'complex' && def.subAttributes ? projectComplex(def, v, keep, schema) : v;
    if (projected !== undefined) out[k] = projected;
  }
  return out;
}

/**
 * The resource as returned under `attributes` / `excludedAttributes` (RFC 7644 3.9). A new object
 * that may share leaf arrays and values with the input, which it never modifies. Throws
 * ScimError 400 invalidValue for a name that is not an attribute path.
 */
export function project(resource: Readonly<JsonObject>, schema: ResourceSchema, options: ProjectionOptions = {}): JsonObject {
  const attributes = options.attributes ?? [];
  const mode: Mode =
    attributes.length > 0
      ? { kind: 'include', sel: select(attributes, schema) }
      : { kind: 'exclude', sel: select(options.excludedAttributes ?? [], schema) };
  const extensionKeys = new Set(schema.extensions.map((e) => e.schema.id.toLowerCase()));
  const out = projectContainer(resource as JsonObject, schema.core, schema, mode, extensionKeys);
  for (const { schema: ext } of schema.extensions) {
    const raw = Object.entries(resource).find(([k]) => k.toLowerCase() === ext.id.toLowerCase());
    if (!raw || !isObject(raw[1])) continue;
    const projected = projectContainer(raw[1], ext, schema, mode, new Set());
    if (!isUnassigned(projected)) out[raw[0]] = projected;
  }
  return out;
}
