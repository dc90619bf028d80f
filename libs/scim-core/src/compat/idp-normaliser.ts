// What real IdPs send that RFC 7644 does not say, rewritten into what it does, before any engine
// sees it. Everything here is tolerated for every connector (an IdP preset changes defaults, not
// what is accepted): Entra's capitalised ops and "True"/"False" strings (with aadOptscim062020 off),
// members as bare strings (Microsoft's reference tests), "$ref": null, a bare string for manager.
import type { ResourceSchema } from '../schema/resource-schema';
import type { AttributeDef } from '../schema/types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PATCH_OPS = new Set(['add', 'replace', 'remove']);

/** Normalises a PatchOp request body in place-free fashion (returns a new object). */
export function normalisePatchRequest(body: unknown, schema: ResourceSchema): unknown {
  if (!isObject(body) || !Array.isArray(body.Operations)) return body;
  const operations = body.Operations.map((operation) => {
    if (!isObject(operation)) return operation;
    const op = typeof operation.op === 'string' && PATCH_OPS.has(operation.op.toLowerCase()) ? operation.op.toLowerCase() : operation.op;
    const path = typeof operation.path === 'string' ? operation.path : undefined;
    const target = path ? attributeAt(schema, path) : undefined;
    const value = operation.value === undefined ? undefined : normaliseValue(operation.value, target, schema);
    return { ...operation, op, ...(value === undefined ? {} : { value }) };
  });
  return { ...body, Operations: operations };
}

/** Normalises a resource body (POST, PUT, Bulk data). */
export function normaliseResource(body: unknown, schema: ResourceSchema): unknown {
  return isObject(body) ? normaliseValue(body, undefined, schema) : body;
}

/** Walks a value with the attribute definition it is for (undefined: a resource or a path-less value). */
function normaliseValue(value: Json | undefined, def: AttributeDef | undefined, schema: ResourceSchema): Json | undefined {
  if (value === undefined) return undefined;
  if (def === undefined) {
    if (!isObject(value)) return value;
    // A resource or path-less value: keys are attribute paths, or an extension URN holding attributes.
    const out: { [key: string]: Json } = {};
    for (const [key, v] of Object.entries(value)) {
      const keyDef = attributeAt(schema, key);
      out[key] = keyDef ? normaliseAttribute(v, keyDef) : isObject(v) && key.includes(':') ? normaliseExtension(v, key, schema) : v;
    }
    return out;
  }
  return normaliseAttribute(value, def);
}

function normaliseExtension(value: { [key: string]: Json }, urn: string, schema: ResourceSchema): Json {
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) {
    const def = attributeAt(schema, `${urn}:${key}`);
    out[key] = def ? normaliseAttribute(v, def) : v;
  }
  return out;
}

function normaliseAttribute(value: Json, def: AttributeDef): Json {
  if (def.multiValued && Array.isArray(value)) return value.map((v) => normaliseSingle(v, def));
  // OneLogin sends `emails` as one object; a lone value of a multi-valued attribute is a list of one.
  if (def.multiValued && value !== null) return [normaliseSingle(value, def)];
  // Entra's legacy manager update: `"value": [{"value": "<id>"}]` for a single-valued attribute.
  if (!def.multiValued && Array.isArray(value) && value.length === 1) return normaliseSingle(value[0], def);
  return normaliseSingle(value, def);
}

function normaliseSingle(value: Json, def: AttributeDef): Json {
  switch (def.type) {
    case 'boolean':
      return booleanString(value);
    case 'complex': {
      if (typeof value === 'string' && def.subAttributes?.some((s) => s.name === 'value')) {
        // `"manager": "id"` and `"members": ["id"]`: the string is the `value` sub-attribute.
        return { value };
      }
      if (!isObject(value)) return value;
      const out: { [key: string]: Json } = {};
      const hasDisplay = def.subAttributes?.some((s) => s.name === 'display') && !def.subAttributes.some((s) => s.name === 'displayName');
      for (const [entry, v] of Object.entries(value)) {
        if (entry === '$ref' && v === null) continue;
        // Microsoft's validator names a member's display "displayName".
        const key = hasDisplay && entry.toLowerCase() === 'displayname' && !('display' in value) ? 'display' : entry;
        const sub = def.subAttributes?.find((s) => s.name.toLowerCase() === key.toLowerCase());
        out[key] = sub ? normaliseSingle(v, sub) : v;
      }
      return out;
    }
    default:
      return value;
  }
}

function booleanString(value: Json): Json {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}

/** The definition an attribute path or key names (ignoring value filters), if any. */
function attributeAt(schema: ResourceSchema, path: string): AttributeDef | undefined {
  const withoutFilter = path.replace(/\[[^\]]*\]/g, '');
  const resolved = schema.resolveText(withoutFilter);
  return resolved?.target;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
