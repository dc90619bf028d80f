// The PatchOp message of RFC 7644 section 3.5.2: shape and validation of the request body, before
// any operation touches a resource. Strict by design: `op` is lower-case only (the IdP normaliser in
// src/connectors lower-cases Entra ID's "Replace" before the engine sees it).

import { ScimError } from '../errors';
import type { Filter } from '../filter/ast';
import { isObject } from './json';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  op: PatchOpName;
  /** RFC 7644 3.5.2 PATH; optional for add and replace, required for remove. */
  path?: string;
  /** Required for add and replace (`null` is a value: it unassigns); optional for remove. */
  value?: unknown;
}

export interface PatchRequest {
  schemas: string[];
  Operations: PatchOperation[];
}

/** One member of an externalised multi-valued attribute (a Group's `members`). */
export interface MemberRef {
  value: string;
  display?: string;
  type?: string;
}

/**
 * A change to an externalised attribute, for the caller to apply to its own store in request
 * order. The resource JSON never holds these values, so the engine describes the change instead.
 */
export type MemberOp =
  | { kind: 'add'; values: MemberRef[] }
  | { kind: 'remove'; values: string[] }
  | { kind: 'removeAll' }
  | { kind: 'replace'; values: MemberRef[] }
  /** Remove the members matching a filter relative to one member (`type eq "Group"`). */
  | { kind: 'removeWhere'; filter: Filter };

const OPS: ReadonlySet<string> = new Set<PatchOpName>(['add', 'remove', 'replace']);

function invalid(scimType: 'invalidSyntax' | 'invalidValue' | 'invalidPath' | 'noTarget', detail: string): never {
  throw new ScimError(400, scimType, detail);
}

/**
 * Checks a PATCH request body (RFC 7644 3.5.2) and returns it typed. Throws ScimError 400:
 * invalidSyntax for a missing PatchOp schema, a missing or empty `Operations`, or an unknown `op`;
 * noTarget for a remove without `path`; invalidValue for add/replace without `value`;
 * invalidPath for a `path` that is not a string.
 */
export function parsePatchRequest(body: unknown): PatchRequest {
  if (!isObject(body)) invalid('invalidSyntax', 'A PATCH request body must be a JSON object');
  const { schemas, Operations: operations } = body;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    invalid('invalidSyntax', `A PATCH request must list "${PATCH_OP_SCHEMA}" in "schemas"`);
  }
  if (!Array.isArray(operations)) invalid('invalidSyntax', 'A PATCH request must carry an "Operations" array');
  if (operations.length === 0) invalid('invalidSyntax', '"Operations" must hold at least one operation');
  const parsed = operations.map((raw: unknown, i): PatchOperation => {
    const where = `Operation ${i + 1}`;
    if (!isObject(raw)) invalid('invalidSyntax', `${where} must be a JSON object`);
    const { op, path, value } = raw;
    if (typeof op !== 'string' || !OPS.has(op)) {
      invalid('invalidSyntax', `${where}: "op" must be "add", "remove" or "replace", found ${JSON.stringify(op ?? null)}`);
    }
    if (path !== undefined && typeof path !== 'string') invalid('invalidPath', `${where}: "path" must be a string`);
    const trimmed = typeof path === 'string' ? path.trim() : undefined;
    // An empty path says as little as an absent one; treating it as absent keeps the errors precise.
    const effectivePath = trimmed === '' ? undefined : trimmed;
    if (op === 'remove' && effectivePath === undefined) invalid('noTarget', `${where}: "remove" needs a "path"`);
    if (op !== 'remove' && value === undefined) invalid('invalidValue', `${where}: "${op}" needs a "value"`);
    return {
      op: op as PatchOpName,
      ...(effectivePath !== undefined ? { path: effectivePath } : {}),
      ...(value !== undefined ? { value } : {}),
    };
  });
  return { schemas: schemas as string[], Operations: parsed };
}
