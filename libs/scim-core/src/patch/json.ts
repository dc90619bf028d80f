// Plain-JSON helpers shared by the PATCH engine and the message builders. SCIM resources travel as
// JSON objects whose attribute names are case-insensitive (RFC 7643 2.1), so key access here
// tolerates any spelling while writes leave exactly one, canonical, key behind.

import { findKey } from '../schema/resource-schema';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep copy of a JSON value; the engine never touches its caller's objects. A plain walk: the values
 * are JSON (objects, arrays, scalars), and structuredClone cost several times more on every request.
 */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (typeof v !== 'object' || v === null) return v;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(v)) {
    // An own "__proto__" key (JSON.parse makes one) stays a key: assigning it would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: cloneJson(value), enumerable: true, writable: true, configurable: true });
    else out[key] = cloneJson(value);
  }
  return out as T;
}

/** Structural equality of JSON values: key order is ignored, array order is not. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/**
 * RFC 7643 2.5: "Unassigned attributes, the null value, or empty array ... SHALL be considered to
 * be equivalent in state". An object with nothing assigned in it counts too, so that removing the
 * last sub-attribute of `name` leaves no `name: {}` behind.
 */
export function isUnassigned(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.values(v).every(isUnassigned);
  return false;
}

export function getKey(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** Removes every spelling of `name`. */
export function deleteKey(obj: JsonObject, name: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) delete obj[k];
}

/** Sets `name` under its canonical spelling, dropping other spellings; unassigned values delete it. */
export function setKey(obj: JsonObject, name: string, value: unknown): void {
  if (isUnassigned(value)) {
    deleteKey(obj, name);
    return;
  }
  const lower = name.toLowerCase();
  // The exact spelling keeps its place in the object, so untouched output stays stable.
  for (const k of Object.keys(obj)) if (k !== name && k.toLowerCase() === lower) delete obj[k];
  obj[name] = value;
}
