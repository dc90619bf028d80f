// A resource body from POST or PUT (RFC 7644 3.3 and 3.5.1) turned into the canonical resource the
// service provider stores: attribute names spelled as the schema spells them, values checked against
// their type, `schemas` listing exactly the extensions present. It reuses the PATCH engine (a POST
// body is a path-less `add` onto an empty resource), so creation, replacement and PATCH agree on
// every rule. Attributes the server owns (`id`, `meta`, `groups`) and attributes no schema defines
// are ignored, as RFC 7644 3.3 allows and IdPs rely on; a missing required attribute is refused.

import { ScimError } from '../errors';
import type { ResourceSchema } from '../schema/resource-schema';
import { isObject, type JsonObject } from './json';
import { applyPatch } from './patch-engine';
import { PATCH_OP_SCHEMA, type MemberRef } from './patch-request';

export interface CanonicalOptions {
  /** Top-level attributes the server derives; a client's value is dropped (case-insensitive). */
  ignore: readonly string[];
  /** Attributes kept outside the resource JSON (a Group's `members`), returned separately. */
  external?: readonly string[];
}

export interface CanonicalResource {
  resource: JsonObject;
  /** The external attribute's values, in the order sent (empty when absent). */
  members: MemberRef[];
  /** Unknown attributes that were ignored. */
  warnings: string[];
}

export function canonicalResource(body: unknown, schema: ResourceSchema, options: CanonicalOptions): CanonicalResource {
  if (!isObject(body)) throw new ScimError(400, 'invalidSyntax', 'The request body must be a JSON object (a SCIM resource)');
  const ignored = new Set([...options.ignore, 'schemas'].map((k) => k.toLowerCase()));
  const value: JsonObject = {};
  for (const [key, v] of Object.entries(body)) {
    if (!ignored.has(key.toLowerCase()) && v !== null && v !== undefined) value[key] = v;
  }
  const empty: JsonObject = { schemas: [schema.core.id] };
  const result =
    Object.keys(value).length === 0
      ? { resource: empty, memberOps: [], warnings: [] }
      : applyPatch(empty, { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', value }] }, schema, {
          lenientUnknownAttributes: true,
          external: options.external ?? [],
        });
  requireAttributes(schema.core.attributes, result.resource, '');
  // An extension's required attributes apply when the resource carries that extension.
  for (const { schema: ext } of schema.extensions) {
    const container = result.resource[ext.id];
    if (isObject(container)) requireAttributes(ext.attributes, container, `${ext.id}:`);
  }
  const members = result.memberOps.flatMap((op) => (op.kind === 'add' || op.kind === 'replace' ? op.values : []));
  return { resource: result.resource, members, warnings: result.warnings };
}

function requireAttributes(defs: readonly { name: string; required: boolean }[], container: JsonObject, prefix: string): void {
  for (const def of defs) {
    if (!def.required) continue;
    const present = container[def.name];
    if (present === undefined || present === null || (typeof present === 'string' && present.trim() === '')) {
      throw new ScimError(400, 'invalidValue', `"${prefix}${def.name}" is required`);
    }
  }
}
