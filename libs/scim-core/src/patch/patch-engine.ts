// The PATCH engine: RFC 7644 section 3.5.2 (add 3.5.2.1, remove 3.5.2.2, replace 3.5.2.3) applied
// to a plain SCIM JSON resource, checked against RFC 7643 attribute characteristics (section 2.2:
// type, mutability, required; 2.4: multi-valued `primary`; 2.5: null means unassigned).
//
// Atomic as 3.5.2 requires: operations run on a deep copy and the first refusal throws, so the
// caller keeps its resource. Names resolve through ResourceSchema (case-insensitive) and are
// written back canonically. Decisions where the RFC leaves room:
// - `add` and `replace` on a single-valued complex attribute merge sub-attributes (3.5.2.1, and
//   3.5.2.3 "Sub-attributes that are not specified in the value parameter are left unchanged").
// - A filter that matches nothing: `replace` (and `add`) fail with noTarget (3.5.2.3), except when
//   the filter is a conjunction of `eq` on sub-attributes, which names the missing value well
//   enough to create it. Entra ID relies on this: `addresses[type eq "work"].locality` on a user
//   without addresses must create the work address. `remove` with a filter that matches nothing is
//   a no-op with a warning: 3.5.2.2 defines no error for it and the state asked for already holds,
//   while a 400 would make an IdP retry the same request forever.
// - `replace` of filtered values keeps the filter's `eq` sub-attributes where the new value is
//   silent on them, so `emails[type eq "work"]` still finds the replaced value.
// - `null` assigns nothing (RFC 7643 2.5): a path with a null value is removed, a null
//   sub-attribute inside a value (`"$ref": null`) is dropped or unassigned.
// - Writes that leave a value as it was are allowed whatever the mutability, so clients that echo
//   `id`, `meta` or `schemas` in a path-less value are not refused. `schemas` itself is kept in step
//   with the extensions present (RFC 7643 section 3); a written list is checked, not stored.

import { ScimError } from '../errors';
import type { Filter, PatchPath } from '../filter/ast';
import { matchValueFilter } from '../filter/matcher';
import { validateValueFilter } from '../filter/parser';
import type { ResolvedAttribute, ResourceSchema } from '../schema/resource-schema';
import type { AttributeDef, SchemaDef } from '../schema/types';
import { cloneJson, deleteKey, getKey, isObject, isUnassigned, jsonEqual, setKey, type JsonObject } from './json';
import { externalMemberOps } from './member-ops';
import { parsePatchRequest, type MemberOp, type PatchOperation, type PatchOpName } from './patch-request';
import { checkValue, describeValue, invalidValue, normaliseComplex, type ComplexValue, type ValueContext } from './values';

export interface PatchOptions {
  /**
   * Skip unknown attributes and sub-attributes (in paths, path-less keys, values and value
   * filters), each with a warning, instead of refusing the request with invalidPath. IdPs retry
   * failed requests forever: one irrelevant attribute must not throw away a deactivation.
   */
  lenientUnknownAttributes?: boolean;
  /**
   * Top-level multi-valued attributes kept outside the resource JSON (a Group's `members`). The
   * engine never reads or writes them in the resource; their changes come back as MemberOps. At
   * most one, because a MemberOp does not say which attribute it is for.
   */
  external?: readonly string[];
}

export interface PatchResult {
  /** The patched copy; the input is never modified. */
  resource: JsonObject;
  /** False when `resource` deep-equals the input (MemberOps are not counted: check them too). */
  changed: boolean;
  /** Changes to the external attribute, in request order. */
  memberOps: MemberOp[];
  /** What lenient handling skipped, and operations that did nothing worth knowing about. */
  warnings: string[];
}

/** What one operation designates after resolution. */
interface Target {
  def: AttributeDef;
  /** URN of the extension holding the attribute, or undefined for the core schema. */
  extension?: string;
  sub?: AttributeDef;
  filter?: Filter;
  /** Canonical name for messages: `emails`, `name.givenName`, `urn:...:User:manager`. */
  name: string;
  /** The path as the client wrote it. */
  text: string;
}

function invalidPath(detail: string): never {
  throw new ScimError(400, 'invalidPath', detail);
}

function mutability(detail: string): never {
  throw new ScimError(400, 'mutability', detail);
}

function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? [...v] : [v];
}

function merge(base: unknown, cv: ComplexValue): JsonObject {
  const out = isObject(base) ? base : {};
  for (const name of cv.unset) deleteKey(out, name);
  for (const [k, v] of Object.entries(cv.set)) setKey(out, k, v);
  return out;
}

/** Paths inside a value filter that name no sub-attribute of `parent`. */
function unknownFilterNames(f: Filter, parent: AttributeDef, schema: ResourceSchema): string[] {
  switch (f.kind) {
    case 'compare':
    case 'present':
      return f.path.schema === undefined && f.path.subAttr === undefined && !schema.resolveSub(parent, f.path.attr) ? [f.path.attr] : [];
    case 'logical':
      return [...unknownFilterNames(f.left, parent, schema), ...unknownFilterNames(f.right, parent, schema)];
    case 'not':
      return unknownFilterNames(f.filter, parent, schema);
    case 'valuePath':
      return [];
  }
}

/**
 * The value a filter describes, when it is a conjunction of `eq` comparisons on sub-attributes
 * (`type eq "work"`, `type eq "work" and primary eq true`); undefined for anything else.
 */
export function eqTemplate(f: Filter, parent: AttributeDef, schema: ResourceSchema): JsonObject | undefined {
  const out: JsonObject = {};
  const walk = (g: Filter): boolean => {
    if (g.kind === 'logical' && g.op === 'and') return walk(g.left) && walk(g.right);
    if (g.kind !== 'compare' || g.op !== 'eq' || g.value === null) return false;
    if (g.path.schema !== undefined || g.path.subAttr !== undefined) return false;
    const sub = schema.resolveSub(parent, g.path.attr);
    if (!sub || sub.multiValued) return false;
    if (Object.prototype.hasOwnProperty.call(out, sub.name) && out[sub.name] !== g.value) return false;
    out[sub.name] = g.value;
    return true;
  };
  return walk(f) ? out : undefined;
}

/** Whether a stored scalar equals a given one, by the attribute's caseExact (RFC 7643 2.2). */
function sameScalar(def: AttributeDef | undefined, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && def && !def.caseExact) return a.toLowerCase() === b.toLowerCase();
  return jsonEqual(a, b);
}

/** Each path's top-level attribute, kept per path object (paths come from one schema's patchPath). */
const TOPS = new WeakMap<PatchPath, ResolvedAttribute | undefined>();

function topAttribute(schema: ResourceSchema, path: PatchPath): ResolvedAttribute | undefined {
  if (TOPS.has(path)) return TOPS.get(path);
  const top = schema.resolve({ ...(path.schema !== undefined ? { schema: path.schema } : {}), attr: path.attr });
  TOPS.set(path, top);
  return top;
}

class PatchRun {
  readonly memberOps: MemberOp[] = [];
  readonly warnings: string[] = [];
  /** Extensions whose container an operation touched, for the `schemas` bookkeeping. */
  private readonly touched = new Set<string>();
  private readonly external: ReadonlySet<string>;
  private readonly lenient: boolean;
  private where = '';
  private readonly ctx: ValueContext;

  constructor(
    readonly resource: JsonObject,
    private readonly schema: ResourceSchema,
    options: PatchOptions,
  ) {
    this.lenient = options.lenientUnknownAttributes === true;
    this.external = new Set((options.external ?? []).map((n) => n.toLowerCase()));
    this.ctx = { schema, unknown: (detail) => this.unknown(detail) };
  }

  apply(op: PatchOperation, index: number): void {
    this.where = `Operation ${index + 1} (${op.op}${op.path !== undefined ? ` "${op.path}"` : ''})`;
    try {
      if (op.path !== undefined) {
        this.applyAt(op.op, op.path, op.value);
        return;
      }
      // RFC 7644 3.5.2.1/3.5.2.3: without a path the target is the resource itself and the value
      // holds attributes; each key is read as a path of its own (`name.givenName`, a URN path, or
      // an extension URN whose value holds that extension's attributes).
      if (!isObject(op.value)) invalidValue(`Without a "path", "value" must be an object of attributes, found ${describeValue(op.value)}`);
      for (const [key, value] of Object.entries(op.value)) this.applyAt(op.op, key, value);
    } catch (e) {
      if (e instanceof ScimError) throw new ScimError(e.status, e.scimType, `${this.where}: ${e.detail}`);
      throw e;
    }
  }

  private unknown(detail: string): void {
    if (!this.lenient) invalidPath(detail);
    this.warnings.push(`${this.where}: ignored: ${detail}`);
  }

  private warn(detail: string): void {
    this.warnings.push(`${this.where}: ${detail}`);
  }

  private applyAt(op: PatchOpName, text: string, value: unknown): void {
    const path = this.schema.patchPath(text);
    const whole = path.filter ? undefined : this.schema.wholeSchema(path);
    if (whole) {
      this.applyWholeSchema(op, whole, value);
      return;
    }
    const top = path.attr === '' ? undefined : topAttribute(this.schema, path);
    if (!top) {
      this.unknown(`Unknown attribute "${text}" for resource type ${this.schema.resourceType.name}`);
      return;
    }
    const def = top.attribute;
    const name = top.extension ? `${top.schema}:${def.name}` : def.name;
    let sub: AttributeDef | undefined;
    if (path.subAttr !== undefined) {
      sub = this.schema.resolveSub(def, path.subAttr);
      if (!sub) {
        this.unknown(`Unknown sub-attribute "${path.subAttr}" of "${name}"`);
        return;
      }
    }
    if (path.filter) {
      if (def.type !== 'complex' || !def.multiValued) invalidPath(`"${name}" is not a multi-valued complex attribute, so "[...]" cannot select its values`);
      const unknowns = unknownFilterNames(path.filter, def, this.schema);
      if (unknowns.length && this.lenient) {
        for (const u of unknowns) this.unknown(`Unknown sub-attribute "${u}" of "${name}" in the filter`);
        return;
      }
      validateValueFilter(path.filter, def, this.schema);
    }
    if (!top.extension && this.external.has(def.name.toLowerCase())) {
      this.memberOps.push(...externalMemberOps(op, path, def, value, this.ctx));
      return;
    }
    if (top.common && def.name === 'schemas') {
      this.writeSchemas(op, path, value);
      return;
    }
    const target: Target = {
      def,
      ...(top.extension ? { extension: top.schema } : {}),
      ...(sub ? { sub } : {}),
      ...(path.filter ? { filter: path.filter } : {}),
      name,
      text,
    };
    const before = this.read(target);
    const after = this.compute(op, target, value, cloneJson(before));
    this.checkChange(def, before, after, name);
    this.write(target, after);
  }

  private read(t: Target): unknown {
    const container = t.extension ? getKey(this.resource, t.extension) : this.resource;
    return getKey(container, t.def.name);
  }

  private write(t: Target, value: unknown): void {
    if (!t.extension) {
      setKey(this.resource, t.def.name, value);
      return;
    }
    this.touched.add(t.extension);
    const existing = getKey(this.resource, t.extension);
    let container: JsonObject;
    if (isObject(existing)) container = existing;
    else {
      if (isUnassigned(value)) return;
      container = {};
      deleteKey(this.resource, t.extension);
      this.resource[t.extension] = container;
    }
    setKey(container, t.def.name, value);
    if (isUnassigned(container)) deleteKey(this.resource, t.extension);
  }

  /** The new value of the top-level attribute `t.def`; `old` is the caller's copy to reuse. */
  private compute(op: PatchOpName, t: Target, value: unknown, old: unknown): unknown {
    if (t.filter) return this.computeFiltered(op, t, t.filter, value, old);
    if (t.sub) return this.computeSub(op, t, t.sub, value, old);
    const { def, name } = t;
    if (op === 'remove') {
      // Entra ID removes members by value list; the same reading serves any multi-valued attribute.
      return value !== undefined && value !== null && def.multiValued ? this.removeValues(t, old, value) : undefined;
    }
    if (value === null) return undefined;
    if (def.multiValued) {
      const incoming = (checkValue(def, value, name, this.ctx) as unknown[]).filter((v) => !isUnassigned(v));
      if (op === 'replace') {
        this.enforcePrimary(def, incoming, incoming.map((_, i) => i));
        return incoming;
      }
      // RFC 7644 3.5.2.1: add appends, and a value already there is not added twice.
      const list = asArray(old);
      const written = incoming.map((v) => {
        const i = list.findIndex((e) => jsonEqual(e, v));
        return i >= 0 ? i : list.push(v) - 1;
      });
      this.enforcePrimary(def, list, written);
      return list;
    }
    if (def.type === 'complex') return merge(old, normaliseComplex(def, value, name, this.ctx));
    return checkValue(def, value, name, this.ctx);
  }

  /** `name.familyName`, or `emails.value` without a filter (every value, or a first one). */
  private computeSub(op: PatchOpName, t: Target, sub: AttributeDef, value: unknown, old: unknown): unknown {
    const subName = `${t.name}.${sub.name}`;
    const v = op === 'remove' || value === null ? undefined : checkValue(sub, value, subName, this.ctx);
    if (!t.def.multiValued) {
      const base = isObject(old) ? old : {};
      setKey(base, sub.name, v);
      return base;
    }
    const list = asArray(old);
    if (v === undefined) {
      for (const el of list) if (isObject(el)) deleteKey(el, sub.name);
      return list.filter((el) => !isUnassigned(el));
    }
    if (list.length === 0) list.push({});
    for (const el of list) if (isObject(el)) setKey(el, sub.name, v);
    this.enforcePrimary(t.def, list, list.map((_, i) => i));
    return list;
  }

  /** `emails[type eq "work"]` and `emails[type eq "work"].value`. */
  private computeFiltered(op: PatchOpName, t: Target, filter: Filter, value: unknown, old: unknown): unknown {
    const { def, sub } = t;
    const list = asArray(old);
    const matches = list.flatMap((el, i) => (matchValueFilter(filter, el, def, this.schema) ? [i] : []));
    if (op === 'remove' || value === null) {
      if (matches.length === 0) {
        this.warn(`"${t.text}" matched no value; nothing to remove`);
        return old;
      }
      if (!sub) return list.filter((_, i) => !matches.includes(i));
      for (const i of matches) if (isObject(list[i])) deleteKey(list[i] as JsonObject, sub.name);
      return list.filter((el) => !isUnassigned(el));
    }
    const template = eqTemplate(filter, def, this.schema);
    if (matches.length === 0 && !template) {
      throw new ScimError(400, 'noTarget', `"${t.text}" matched no value of "${t.name}"`);
    }
    let written: number[];
    if (sub) {
      const v = checkValue(sub, value, `${t.name}.${sub.name}`, this.ctx);
      if (matches.length) {
        for (const i of matches) setKey(list[i] as JsonObject, sub.name, v);
        written = matches;
      } else {
        const created: JsonObject = { ...template };
        setKey(created, sub.name, v);
        written = [list.push(created) - 1];
      }
    } else {
      const cv = normaliseComplex(def, value, t.name, this.ctx);
      if (matches.length) {
        for (const i of matches) list[i] = op === 'add' ? merge(list[i], cv) : merge({ ...template }, cv);
        written = matches;
      } else {
        written = [list.push(merge({ ...template }, cv)) - 1];
      }
    }
    this.enforcePrimary(def, list, written);
    return list.filter((el) => !isUnassigned(el));
  }

  /** Remove with a value list: drops the values matching one of those given. */
  private removeValues(t: Target, old: unknown, value: unknown): unknown {
    const { def } = t;
    const wanted = checkValue(def, value, t.name, this.ctx) as unknown[];
    const matches = (el: unknown, w: unknown): boolean => {
      if (def.type !== 'complex') return sameScalar(def, el, w);
      if (!isObject(w) || Object.keys(w).length === 0 || !isObject(el)) return false;
      return Object.entries(w).every(([k, v]) => sameScalar(this.schema.resolveSub(def, k), getKey(el, k), v));
    };
    const list = asArray(old);
    const kept = list.filter((el) => !wanted.some((w) => matches(el, w)));
    if (kept.length === list.length) this.warn(`no value of "${t.name}" matched; nothing to remove`);
    return kept;
  }

  /**
   * RFC 7643 2.4: the primary value "MUST appear no more than once"; RFC 7644 3.5.2: setting one
   * value primary sets the others to false.
   */
  private enforcePrimary(def: AttributeDef, list: unknown[], written: number[]): void {
    const primary = this.schema.resolveSub(def, 'primary');
    if (!primary) return;
    const isPrimary = (el: unknown): boolean => getKey(el, primary.name) === true;
    const chosen = written.filter((i, n) => written.indexOf(i) === n && isPrimary(list[i]));
    if (chosen.length > 1) invalidValue(`At most one value of "${def.name}" may be primary`);
    if (chosen.length === 0) return;
    list.forEach((el, i) => {
      if (i !== chosen[0] && isPrimary(el)) setKey(el as JsonObject, primary.name, false);
    });
  }

  /** RFC 7644 3.5.2 mutability and required checks, on the value before and after one operation. */
  private checkChange(def: AttributeDef, before: unknown, after: unknown, name: string): void {
    if (jsonEqual(before, after) || (isUnassigned(before) && isUnassigned(after))) return;
    if (def.mutability === 'readOnly') mutability(`"${name}" is read-only`);
    if (def.mutability === 'immutable' && !isUnassigned(before)) mutability(`"${name}" is immutable: it can be set once, not changed`);
    if (def.required && isUnassigned(after)) mutability(`"${name}" is required and cannot be removed`);
    // Removing a writable complex attribute takes its read-only and required parts with it.
    if (def.type !== 'complex' || !def.subAttributes || isUnassigned(after)) return;
    if (!def.multiValued) {
      for (const sub of def.subAttributes) this.checkChange(sub, getKey(before, sub.name), getKey(after, sub.name), `${name}.${sub.name}`);
      return;
    }
    // Values of a multi-valued attribute have no identity to pair old and new by: a value that is
    // new (or changed) may not carry read-only sub-attributes and must carry the required ones.
    const old = asArray(before);
    for (const el of asArray(after)) {
      if (old.some((o) => jsonEqual(o, el))) continue;
      for (const sub of def.subAttributes) {
        const v = getKey(el, sub.name);
        if (sub.mutability === 'readOnly' && !isUnassigned(v)) mutability(`"${name}.${sub.name}" is read-only`);
        if (sub.required && isUnassigned(v)) invalidValue(`Each value of "${name}" needs "${sub.name}"`);
      }
    }
  }

  private applyWholeSchema(op: PatchOpName, s: SchemaDef, value: unknown): void {
    if (op === 'remove' || value === null) {
      if (s === this.schema.core) invalidPath(`"${s.id}" is the core schema; remove its attributes one by one`);
      this.removeExtension(s);
      return;
    }
    if (!isObject(value)) invalidValue(`"${s.id}" expects an object of that schema's attributes, found ${describeValue(value)}`);
    for (const [key, v] of Object.entries(value)) this.applyAt(op, `${s.id}:${key}`, v);
  }

  private removeExtension(s: SchemaDef): void {
    const container = getKey(this.resource, s.id);
    if (container === undefined) return;
    if (this.schema.extensions.some((e) => e.schema === s && e.required)) mutability(`The extension "${s.id}" is required`);
    for (const def of s.attributes) this.checkChange(def, getKey(container, def.name), undefined, `${s.id}:${def.name}`);
    deleteKey(this.resource, s.id);
    this.touched.add(s.id);
  }

  private writeSchemas(op: PatchOpName, path: PatchPath, value: unknown): void {
    if (path.filter || path.subAttr !== undefined) invalidPath('"schemas" has no sub-attributes');
    if (op === 'remove' || value === null) mutability('"schemas" is required and cannot be removed');
    for (const urn of asArray(value)) {
      if (typeof urn !== 'string' || !this.schema.schemaFor(urn)) {
        invalidValue(`"schemas" may only list ${this.schema.schemaUrns.join(', ')}; found ${describeValue(urn)}`);
      }
    }
  }

  /** RFC 7643 section 3: `schemas` lists the extensions present, no more and no fewer. */
  syncSchemas(): void {
    if (this.touched.size === 0) return;
    const current = getKey(this.resource, 'schemas');
    let list: unknown[] = Array.isArray(current) ? [...current] : [this.schema.core.id];
    for (const urn of this.touched) {
      const present = !isUnassigned(getKey(this.resource, urn));
      const listed = list.some((u) => typeof u === 'string' && u.toLowerCase() === urn.toLowerCase());
      if (present && !listed) list.push(urn);
      if (!present && listed) list = list.filter((u) => !(typeof u === 'string' && u.toLowerCase() === urn.toLowerCase()));
    }
    if (!jsonEqual(list, current)) setKey(this.resource, 'schemas', list);
  }
}

function checkExternal(schema: ResourceSchema, external: readonly string[]): void {
  if (external.length > 1) throw new Error(`At most one external attribute is supported, got ${external.join(', ')}`);
  for (const name of external) {
    const def = schema.attributeFor(schema.core.id, name);
    if (!def || def.type !== 'complex' || !def.multiValued) {
      throw new Error(`External attribute "${name}" is not a multi-valued complex attribute of ${schema.core.id}`);
    }
  }
}

/**
 * Applies a PATCH request (RFC 7644 3.5.2) to a copy of `resource`. Validates the body first (see
 * parsePatchRequest); throws ScimError 400 with a precise scimType on the first refusal, naming
 * the operation, and then nothing has been applied.
 */
export function applyPatch(
  resource: Readonly<JsonObject>,
  body: unknown,
  schema: ResourceSchema,
  options: PatchOptions = {},
): PatchResult {
  const request = parsePatchRequest(body);
  checkExternal(schema, options.external ?? []);
  const run = new PatchRun(cloneJson(resource) as JsonObject, schema, options);
  request.Operations.forEach((op, i) => run.apply(op, i));
  run.syncSchemas();
  return { resource: run.resource, changed: !jsonEqual(resource, run.resource), memberOps: run.memberOps, warnings: run.warnings };
}
