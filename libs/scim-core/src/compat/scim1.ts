// SCIM 1.1 (the simplecloud.info "Core Schema 1.1" and "REST API 1.1" of 2012) as a translation
// over the SCIM 2.0 engine: a 1.1 endpoint turns what a 1.1 client sends into its 2.0 equivalent,
// lets the 2.0 code do the work, and turns the 2.0 answer back. What differs on the wire:
// - schema URNs (`urn:scim:schemas:core:1.0`, one for Users and Groups; the enterprise extension is
//   `urn:scim:schemas:extension:enterprise:1.0`), and extension attributes named `urn...:1.0.attr`
//   in filters rather than `urn...:User:attr`;
// - PATCH is a partial resource, not a list of operations: attributes named in `meta.attributes` are
//   removed first, then each attribute sent replaces (singular) or is added to (multi-valued), and a
//   multi-valued value marked `"operation": "delete"` is removed;
// - errors are `{"Errors": [{"description", "code"}]}`, list responses carry the 1.1 core URN, and no
//   `meta.resourceType` or `$ref` exists.

import { ScimError } from '../errors';
import { PATCH_OP_SCHEMA, PatchOperation, PatchRequest } from '../patch/patch-request';
import { COMMON_ATTRIBUTES, CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../schema/core-schemas';
import { AttributeDef, SchemaDef } from '../schema/types';

export const SCIM1_CORE_SCHEMA = 'urn:scim:schemas:core:1.0';
export const SCIM1_ENTERPRISE_SCHEMA = 'urn:scim:schemas:extension:enterprise:1.0';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function coreSchemaOf(type: 'User' | 'Group'): string {
  return type === 'User' ? CORE_USER_SCHEMA : CORE_GROUP_SCHEMA;
}

/** A 1.1 schema URN as its 2.0 counterpart; any other URN (a custom extension) is the same in both. */
function schemaToV2(urn: string, type: 'User' | 'Group'): string {
  const lower = urn.toLowerCase();
  if (lower === SCIM1_CORE_SCHEMA) return coreSchemaOf(type);
  if (lower === SCIM1_ENTERPRISE_SCHEMA) return ENTERPRISE_USER_SCHEMA;
  return urn;
}

function schemaToV1(urn: string): string {
  if (urn === CORE_USER_SCHEMA || urn === CORE_GROUP_SCHEMA) return SCIM1_CORE_SCHEMA;
  if (urn === ENTERPRISE_USER_SCHEMA) return SCIM1_ENTERPRISE_SCHEMA;
  return urn;
}

const V1_EXTENSION_ATTRIBUTE = /urn:scim:schemas:extension:enterprise:1\.0[.:](?=[A-Za-z$])/gi;

/**
 * A filter, sortBy or attributes parameter of a 1.1 request in 2.0 terms: the enterprise
 * extension's attributes (`urn:scim:schemas:extension:enterprise:1.0.employeeNumber`) get their 2.0
 * name. Everything else in the 1.1 filter grammar (eq, co, sw, pr, gt, ge, lt, le, and, or,
 * parentheses) is valid 2.0 as it is.
 */
export function scim1ParameterToV2(text: string): string {
  return text.replace(V1_EXTENSION_ATTRIBUTE, `${ENTERPRISE_USER_SCHEMA}:`);
}

/** The schemas a 1.1 body declares, as 2.0 URNs (the core one added when missing). */
function schemasToV2(schemas: unknown, type: 'User' | 'Group'): string[] {
  const declared = Array.isArray(schemas) ? schemas.filter((s): s is string => typeof s === 'string').map((s) => schemaToV2(s, type)) : [];
  const core = coreSchemaOf(type);
  return [...new Set([core, ...declared])];
}

/**
 * A 1.1 resource body (POST, PUT) as a 2.0 one. `meta` is the server's (and in 1.1 PATCH only, a
 * list of attributes to remove), so it is dropped. A body that is not an object is passed on for the
 * 2.0 code to refuse with its usual error.
 */
export function scim1ResourceToV2(body: unknown, type: 'User' | 'Group'): unknown {
  if (!isObject(body)) return body;
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'meta') continue;
    if (key === 'schemas') out.schemas = schemasToV2(value, type);
    else out[key.includes(':') ? schemaToV2(key, type) : key] = value;
  }
  if (!('schemas' in out)) out.schemas = schemasToV2(undefined, type);
  return out;
}

function withoutRefs(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((v) => {
    if (!isObject(v) || !('$ref' in v)) return v;
    const { $ref: _ref, ...rest } = v;
    return rest;
  });
}

/** A 2.0 resource as Roster renders it, in 1.1 terms. */
export function scim2ResourceToV1(resource: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas' && Array.isArray(value)) out.schemas = [...new Set(value.map((s) => schemaToV1(String(s))))];
    else if (key === 'meta' && isObject(value)) {
      const { resourceType: _type, ...meta } = value;
      out.meta = meta;
    } else if (key === 'members' || key === 'groups') out[key] = withoutRefs(value);
    else out[key.includes(':') ? schemaToV1(key) : key] = value;
  }
  return out;
}

/** `attr[sub eq "x" and ...]` selecting the values a 1.1 PATCH marks for deletion. */
function valueFilter(entry: Json): string | undefined {
  const keys = Object.entries(entry).filter(([k, v]) => k !== 'operation' && v !== null && typeof v !== 'object');
  // `value` alone identifies a member or an email; without it, every sub-attribute sent must match.
  const chosen = keys.some(([k]) => k === 'value') ? keys.filter(([k]) => k === 'value') : keys;
  if (chosen.length === 0) return undefined;
  return chosen.map(([k, v]) => `${k} eq ${JSON.stringify(v)}`).join(' and ');
}

function attributeOps(path: string, value: unknown, ops: PatchOperation[]): void {
  if (!Array.isArray(value)) {
    ops.push({ op: 'replace', path, value });
    return;
  }
  const added: unknown[] = [];
  for (const entry of value) {
    if (isObject(entry) && typeof entry.operation === 'string') {
      if (entry.operation.toLowerCase() !== 'delete') {
        throw new ScimError(400, 'invalidValue', `${path}: the only "operation" SCIM 1.1 defines is "delete", got ${JSON.stringify(entry.operation)}`);
      }
      const filter = valueFilter(entry);
      ops.push(filter ? { op: 'remove', path: `${path}[${filter}]` } : { op: 'remove', path });
    } else {
      added.push(entry);
    }
  }
  if (added.length) ops.push({ op: 'add', path, value: added });
}

/**
 * A 1.1 PATCH body (a partial resource) as a 2.0 PatchOp request with the same effect: removals
 * named in `meta.attributes` first, then, per attribute sent, `replace` for a singular one, `add`
 * for the values of a multi-valued one and `remove` with a value filter for each value marked
 * `"operation": "delete"`. Extension attributes keep their extension's (2.0) URN in the path.
 */
export function scim1PatchToV2(body: unknown, type: 'User' | 'Group'): PatchRequest {
  if (!isObject(body)) throw new ScimError(400, 'invalidSyntax', 'A SCIM 1.1 PATCH body is a JSON object: the attributes to change, and meta.attributes to remove');
  const ops: PatchOperation[] = [];
  const meta = body.meta;
  if (meta !== undefined) {
    const removed = isObject(meta) ? meta.attributes : undefined;
    if (removed !== undefined && (!Array.isArray(removed) || removed.some((a) => typeof a !== 'string'))) {
      throw new ScimError(400, 'invalidValue', 'meta.attributes must be a list of attribute names');
    }
    for (const name of (removed as string[] | undefined) ?? []) ops.push({ op: 'remove', path: scim1ParameterToV2(name) });
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === 'schemas' || key === 'meta' || key === 'id') continue;
    if (key.includes(':')) {
      const urn = schemaToV2(key, type);
      if (!isObject(value)) throw new ScimError(400, 'invalidValue', `${key} must be an object of that extension's attributes`);
      for (const [name, inner] of Object.entries(value)) attributeOps(`${urn}:${name}`, inner, ops);
    } else {
      attributeOps(key, value, ops);
    }
  }
  return { schemas: [PATCH_OP_SCHEMA], Operations: ops };
}

/** The 1.1 error document. */
export function scim1Error(error: ScimError): { Errors: { description: string; code: string }[] } {
  return { Errors: [{ description: error.detail, code: String(error.status) }] };
}

export function scim1ListResponse<T>(resources: readonly T[], totalResults: number, startIndex: number) {
  return { schemas: [SCIM1_CORE_SCHEMA], totalResults, itemsPerPage: resources.length, startIndex, Resources: [...resources] };
}

interface Scim1Attribute {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  schema: string;
  readOnly: boolean;
  required: boolean;
  caseExact: boolean;
  subAttributes?: Scim1Attribute[];
}

function attributeToV1(def: AttributeDef, schema: string): Scim1Attribute {
  return {
    name: def.name,
    type: def.type === 'reference' ? 'string' : def.type,
    multiValued: def.multiValued,
    description: def.description ?? '',
    schema,
    readOnly: def.mutability === 'readOnly',
    required: def.required,
    caseExact: def.caseExact,
    ...(def.subAttributes?.length ? { subAttributes: def.subAttributes.map((s) => attributeToV1(s, schema)) } : {}),
  };
}

/** 1.1 has no `meta.resourceType`. */
function commonAttributeToV1(def: AttributeDef): AttributeDef {
  return def.name === 'meta' ? { ...def, subAttributes: def.subAttributes?.filter((s) => s.name !== 'resourceType') } : def;
}

/**
 * A resource's schema as 1.1 describes one (`/Schemas/Users`): the common attributes (id,
 * externalId, meta) and the core ones, then those of each extension, every attribute naming the
 * schema it belongs to.
 */
export function scim1SchemaDocument(resource: { name: string; endpoint: string; description?: string }, core: SchemaDef, extensions: readonly SchemaDef[]) {
  return {
    id: SCIM1_CORE_SCHEMA,
    name: resource.name,
    description: resource.description ?? core.description ?? resource.name,
    schema: SCIM1_CORE_SCHEMA,
    endpoint: resource.endpoint,
    attributes: [
      ...COMMON_ATTRIBUTES.filter((c) => !core.attributes.some((a) => a.name === c.name)).map((a) => attributeToV1(commonAttributeToV1(a), SCIM1_CORE_SCHEMA)),
      ...core.attributes.map((a) => attributeToV1(a, SCIM1_CORE_SCHEMA)),
      ...extensions.flatMap((ext) => ext.attributes.map((a) => attributeToV1(a, schemaToV1(ext.id)))),
    ],
  };
}
