// RFC 7644 section 3.5.2 operations on an externalised multi-valued attribute: a Group's `members`
// can number in the hundreds of thousands and is never loaded into the resource, so instead of
// editing an array the engine describes each change as a MemberOp for the caller's store.
// Shapes covered: add/replace with a value list (objects or, as Microsoft's reference tests send,
// bare ids), remove with a value list (Entra ID), remove by filter (`members[value eq "id"]`, also
// or-ed), remove of the whole attribute, and path-less add/replace with a `members` key.

import { ScimError } from '../errors';
import type { Filter, PatchPath } from '../filter/ast';
import { validateValueFilter } from '../filter/parser';
import type { AttributeDef } from '../schema/types';
import { isObject } from './json';
import type { MemberOp, MemberRef, PatchOpName } from './patch-request';
import { invalidValue, normaliseComplex, type ValueContext } from './values';

function invalidPath(detail: string): never {
  throw new ScimError(400, 'invalidPath', detail);
}

/** Member references from a PATCH value; duplicates (same `value`) are kept once. */
export function memberRefs(def: AttributeDef, value: unknown, ctx: ValueContext): MemberRef[] {
  const list = Array.isArray(value) ? value : [value];
  const out: MemberRef[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    if (raw === null) invalidValue(`"${def.name}" cannot hold null values`);
    if (!isObject(raw) && typeof raw !== 'string') invalidValue(`Each "${def.name}" value must be an object with a "value", or an id string`);
    const { set } = normaliseComplex(def, raw, def.name, ctx);
    const id = set.value;
    if (typeof id !== 'string' || id.trim() === '') invalidValue(`Each "${def.name}" value needs a non-empty "value"`);
    if (seen.has(id)) continue;
    seen.add(id);
    // `$ref` is derived from the member's id by whoever renders the group, so it is not carried.
    out.push({
      value: id,
      ...(typeof set.display === 'string' ? { display: set.display } : {}),
      ...(typeof set.type === 'string' ? { type: set.type } : {}),
    });
  }
  return out;
}

/** `value eq "a"`, or `value eq "a" or value eq "b" ...`: the ids, else undefined. */
export function memberIdsOf(f: Filter): string[] | undefined {
  if (f.kind === 'compare') {
    const p = f.path;
    const isValue = p.schema === undefined && p.subAttr === undefined && p.attr.toLowerCase() === 'value';
    return isValue && f.op === 'eq' && typeof f.value === 'string' ? [f.value] : undefined;
  }
  if (f.kind === 'logical' && f.op === 'or') {
    const left = memberIdsOf(f.left);
    const right = left && memberIdsOf(f.right);
    return left && right ? [...new Set([...left, ...right])] : undefined;
  }
  return undefined;
}

/**
 * The MemberOps for one operation on the externalised attribute `def` (already resolved, with
 * `path` as parsed, or undefined for a path-less key). Throws ScimError like the engine does.
 */
export function externalMemberOps(op: PatchOpName, path: PatchPath, def: AttributeDef, value: unknown, ctx: ValueContext): MemberOp[] {
  if (def.mutability === 'readOnly') throw new ScimError(400, 'mutability', `"${def.name}" is read-only`);
  if (path.filter) {
    if (op !== 'remove' || path.subAttr !== undefined) {
      invalidPath(`"${def.name}" values are added, replaced or removed whole; "${op}" cannot target part of a member`);
    }
    validateValueFilter(path.filter, def, ctx.schema);
    const ids = memberIdsOf(path.filter);
    return [ids ? { kind: 'remove', values: ids } : { kind: 'removeWhere', filter: path.filter }];
  }
  if (path.subAttr !== undefined) {
    invalidPath(`"${def.name}.${path.subAttr}" cannot be patched: "${def.name}" values are added, replaced or removed whole`);
  }
  switch (op) {
    case 'add': {
      if (value === null) invalidValue(`"add" on "${def.name}" needs member values, found null`);
      const values = memberRefs(def, value, ctx);
      return values.length ? [{ kind: 'add', values }] : [];
    }
    case 'replace':
      return value === null ? [{ kind: 'removeAll' }] : [{ kind: 'replace', values: memberRefs(def, value, ctx) }];
    case 'remove': {
      if (value === undefined || value === null) return [{ kind: 'removeAll' }];
      const values = memberRefs(def, value, ctx).map((m) => m.value);
      return values.length ? [{ kind: 'remove', values }] : [];
    }
  }
}
