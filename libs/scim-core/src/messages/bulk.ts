// Bulk messages of RFC 7644 section 3.7: request validation (3.7, limits of 3.7.4), `bulkId:`
// cross-references (3.7.2) and circular references (3.7.1), and response builders (3.7.3).
// Executing the operations is the caller's business: this module only says in which order they
// can run, which ones cannot run at all, and how to rewrite references once ids are known.
//
// Decisions where the RFC leaves room:
// - A malformed operation refuses the whole request (400) rather than failing alone: the request
//   is then not a valid BulkRequest.
// - `bulkId:x` is recognised as a whole string value anywhere in `data` (RFC 7644 3.7.2 example:
//   `"value": "bulkId:qwerty"`) and as a whole segment of `path` (`/Groups/bulkId:ytrewq`).
// - Operations run in request order except that an operation waits for the POSTs whose bulkIds
//   it references (3.7.2 lets a reference precede its definition).
// - Circular references (3.7.1) are not untangled by creating and then patching: every operation
//   on a cycle fails with 409 Conflict, which 3.7.1 allows ("MAY stop after a failed attempt and
//   instead return HTTP status code 409"). A reference to a bulkId no POST defines is a client
//   error (400 invalidValue); one to a POST that failed surfaces as `unresolved` when rewriting.

import { ScimError } from '../errors';
import { isObject, type JsonObject } from '../patch/json';

export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
export const BULK_ID_PREFIX = 'bulkId:';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BulkOperation {
  method: BulkMethod;
  /** Client-chosen id of the resource a POST creates; required for POST. */
  bulkId?: string;
  /** ETag the resource must still have (PUT, PATCH, DELETE). */
  version?: string;
  /** `/Users` for POST, `/Users/{id}` otherwise (relative to the service root). */
  path: string;
  /** Resource (POST, PUT) or PatchOp (PATCH) body; absent for DELETE. */
  data?: JsonObject;
}

export interface BulkRequest {
  schemas: string[];
  failOnErrors?: number;
  Operations: BulkOperation[];
}

export interface BulkOperationResult {
  method: BulkMethod;
  bulkId?: string;
  version?: string;
  /** URI of the resource; absent only for a failed POST. */
  location?: string;
  /** HTTP status code as a string (RFC 7644 3.7.3 example: `"status": "201"`). */
  status: string;
  /** The error body for a failure (and optionally the resource for a success). */
  response?: unknown;
}

export interface BulkResponse {
  schemas: [typeof BULK_RESPONSE_SCHEMA];
  Operations: BulkOperationResult[];
}

/** The service provider's advertised limits (RFC 7643 section 5, `bulk`). */
export interface BulkLimits {
  maxOperations: number;
  maxPayloadSize: number;
}

const METHODS: ReadonlySet<string> = new Set<BulkMethod>(['POST', 'PUT', 'PATCH', 'DELETE']);

function syntax(detail: string): never {
  throw new ScimError(400, 'invalidSyntax', detail);
}

function invalidValue(detail: string): never {
  throw new ScimError(400, 'invalidValue', detail);
}

function tooLarge(detail: string): never {
  // RFC 7644 3.7.4: 413 with an error body and no scimType.
  throw new ScimError(413, undefined, detail);
}

function segments(path: string): string[] {
  return path.split('/').slice(1);
}

/**
 * Checks a BulkRequest body (RFC 7644 3.7) and returns it typed. `payloadSize` is the body's size
 * in bytes, when the transport knows it. Throws ScimError: 413 beyond maxOperations or
 * maxPayloadSize; 400 invalidSyntax for a missing BulkRequest schema or a malformed operation;
 * 400 invalidValue for a repeated bulkId, a bad failOnErrors or a path of the wrong shape.
 */
export function parseBulkRequest(body: unknown, limits: BulkLimits, payloadSize?: number): BulkRequest {
  if (payloadSize !== undefined && payloadSize > limits.maxPayloadSize) {
    tooLarge(`The size of the bulk operation exceeds the maxPayloadSize (${limits.maxPayloadSize}).`);
  }
  if (!isObject(body)) syntax('A bulk request body must be a JSON object');
  const { schemas, failOnErrors, Operations: operations } = body;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === BULK_REQUEST_SCHEMA.toLowerCase())) {
    syntax(`A bulk request must list "${BULK_REQUEST_SCHEMA}" in "schemas"`);
  }
  if (failOnErrors !== undefined && !(typeof failOnErrors === 'number' && Number.isInteger(failOnErrors) && failOnErrors >= 1)) {
    invalidValue('"failOnErrors" must be an integer of at least 1');
  }
  if (!Array.isArray(operations)) syntax('A bulk request must carry an "Operations" array');
  if (operations.length === 0) syntax('"Operations" must hold at least one operation');
  if (operations.length > limits.maxOperations) {
    tooLarge(`The number of operations (${operations.length}) exceeds the maxOperations (${limits.maxOperations}).`);
  }
  const bulkIds = new Set<string>();
  const parsed = operations.map((raw: unknown, i): BulkOperation => {
    const where = `Operation ${i + 1}`;
    if (!isObject(raw)) syntax(`${where} must be a JSON object`);
    const { method, bulkId, version, path, data } = raw;
    if (typeof method !== 'string' || !METHODS.has(method)) {
      syntax(`${where}: "method" must be POST, PUT, PATCH or DELETE, found ${JSON.stringify(method ?? null)}`);
    }
    if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId.trim() === '')) syntax(`${where}: "bulkId" must be a non-empty string`);
    if (method === 'POST' && bulkId === undefined) syntax(`${where}: a POST needs a "bulkId"`);
    if (typeof bulkId === 'string') {
      if (bulkIds.has(bulkId)) invalidValue(`${where}: bulkId "${bulkId}" is used twice`);
      bulkIds.add(bulkId);
    }
    if (version !== undefined && typeof version !== 'string') syntax(`${where}: "version" must be a string`);
    if (typeof path !== 'string') syntax(`${where}: "path" is required and must be a string`);
    const parts = segments(path);
    const shapeOk = path.startsWith('/') && parts.every((p) => p !== '') && parts.length === (method === 'POST' ? 1 : 2);
    if (!shapeOk) {
      invalidValue(`${where}: "path" must be ${method === 'POST' ? 'a resource endpoint such as "/Users"' : 'a resource such as "/Users/{id}"'}, found "${path}"`);
    }
    if (method !== 'DELETE' && !isObject(data)) syntax(`${where}: a ${method} needs a "data" object`);
    return {
      method: method as BulkMethod,
      ...(typeof bulkId === 'string' ? { bulkId } : {}),
      ...(typeof version === 'string' ? { version } : {}),
      path,
      ...(method !== 'DELETE' ? { data: data as JsonObject } : {}),
    };
  });
  return {
    schemas: schemas as string[],
    ...(failOnErrors !== undefined ? { failOnErrors: failOnErrors as number } : {}),
    Operations: parsed,
  };
}

function referenceIn(s: string): string | undefined {
  return s.startsWith(BULK_ID_PREFIX) && s.length > BULK_ID_PREFIX.length ? s.slice(BULK_ID_PREFIX.length) : undefined;
}

/** The bulkIds a JSON value references (`"bulkId:qwerty"` anywhere in it), once each, in order. */
export function bulkIdReferences(value: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const ref = referenceIn(v);
      if (ref !== undefined) out.add(ref);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return [...out];
}

/** The bulkIds an operation references, in its path or its data. */
export function operationReferences(op: BulkOperation): string[] {
  const inPath = segments(op.path).flatMap((p) => referenceIn(p) ?? []);
  return [...new Set([...inPath, ...bulkIdReferences(op.data)])];
}

/**
 * A copy of `value` with every `"bulkId:x"` string replaced by `resolve(x)` (the new resource's
 * id). References `resolve` cannot answer are left as they were and listed in `unresolved`: the
 * caller then fails the operation (409: what it depends on was not created).
 */
export function replaceBulkIdReferences<T>(value: T, resolve: (bulkId: string) => string | undefined): { value: T; unresolved: string[] } {
  const unresolved = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const ref = referenceIn(v);
      if (ref === undefined) return v;
      const id = resolve(ref);
      if (id === undefined) unresolved.add(ref);
      return id ?? v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value) as T, unresolved: [...unresolved] };
}

/** As replaceBulkIdReferences, for an operation's path and data together. */
export function resolveOperation(op: BulkOperation, resolve: (bulkId: string) => string | undefined): { op: BulkOperation; unresolved: string[] } {
  const path = replaceBulkIdReferences(segments(op.path), resolve);
  const data = replaceBulkIdReferences(op.data, resolve);
  return {
    op: { ...op, path: `/${path.value.join('/')}`, ...(data.value !== undefined ? { data: data.value } : {}) },
    unresolved: [...new Set([...path.unresolved, ...data.unresolved])],
  };
}

export interface BulkPlan {
  /** Every operation index once, in an order where each runs after the POSTs it references. */
  order: number[];
  /** Operations that cannot run, by index: circular (409) or referencing an undefined bulkId (400). */
  failures: Map<number, ScimError>;
}

/** Tarjan's strongly connected components over operation indices. */
function cycles(deps: number[][]): number[][] {
  const index = new Array<number>(deps.length).fill(-1);
  const low = new Array<number>(deps.length).fill(0);
  const onStack = new Array<boolean>(deps.length).fill(false);
  const stack: number[] = [];
  const found: number[][] = [];
  let next = 0;
  const visit = (v: number): void => {
    index[v] = low[v] = next++;
    stack.push(v);
    onStack[v] = true;
    for (const w of deps[v]) {
      if (index[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v], low[w]);
      } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
    }
    if (low[v] !== index[v]) return;
    const component: number[] = [];
    let w: number;
    do {
      w = stack.pop() as number;
      onStack[w] = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || deps[v].includes(v)) found.push(component.sort((a, b) => a - b));
  };
  for (let v = 0; v < deps.length; v++) if (index[v] === -1) visit(v);
  return found;
}

/**
 * Orders a request's operations by their `bulkId:` references (RFC 7644 3.7.2) and finds those
 * that cannot run: circular references (3.7.1, 409) and references to a bulkId that no POST in the
 * request defines (400 invalidValue). Request order is kept wherever references allow.
 */
export function planBulk(request: BulkRequest): BulkPlan {
  const ops = request.Operations;
  const definedBy = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.method === 'POST' && op.bulkId !== undefined) definedBy.set(op.bulkId, i);
  });
  const failures = new Map<number, ScimError>();
  const deps: number[][] = ops.map((op, i) => {
    const out: number[] = [];
    for (const ref of operationReferences(op)) {
      const j = definedBy.get(ref);
      if (j === undefined) {
        if (!failures.has(i)) failures.set(i, new ScimError(400, 'invalidValue', `Operation ${i + 1} references bulkId "${ref}", which no POST in this request defines`));
      } else if (!out.includes(j)) out.push(j);
    }
    return out;
  });
  for (const component of cycles(deps)) {
    const names = component.map((i) => ops[i].bulkId ?? `operation ${i + 1}`).join(', ');
    for (const i of component) {
      failures.set(i, new ScimError(409, undefined, `Operation ${i + 1} is part of a circular bulkId reference (${names}) that cannot be resolved`));
    }
  }
  // Kahn's algorithm, always taking the lowest ready index; an operation that fails anyway waits
  // for nothing, which also breaks every cycle.
  const waits = deps.map((d, i) => (failures.has(i) ? [] : d.filter((j) => j !== i)));
  const remaining = waits.map((d) => d.length);
  const dependents = ops.map(() => [] as number[]);
  waits.forEach((d, i) => d.forEach((j) => dependents[j].push(i)));
  const ready = remaining.flatMap((n, i) => (n === 0 ? [i] : []));
  const order: number[] = [];
  while (ready.length) {
    ready.sort((a, b) => a - b);
    const i = ready.shift() as number;
    order.push(i);
    for (const d of dependents[i]) if (--remaining[d] === 0) ready.push(d);
  }
  return { order, failures };
}

/** The result entry for an operation that failed with `error` (RFC 7644 3.7.3). */
export function bulkFailure(op: BulkOperation, error: ScimError, location?: string): BulkOperationResult {
  return {
    method: op.method,
    ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
    ...(location !== undefined ? { location } : {}),
    status: String(error.status),
    response: error.toJSON(),
  };
}

/** The result entry for an operation that succeeded (RFC 7644 3.7.3). */
export function bulkSuccess(op: BulkOperation, result: { status: number; location: string; version?: string; response?: unknown }): BulkOperationResult {
  return {
    method: op.method,
    ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}),
    ...(result.version !== undefined ? { version: result.version } : {}),
    location: result.location,
    status: String(result.status),
    ...(result.response !== undefined ? { response: result.response } : {}),
  };
}

export function bulkResponse(results: readonly BulkOperationResult[]): BulkResponse {
  return { schemas: [BULK_RESPONSE_SCHEMA], Operations: [...results] };
}
