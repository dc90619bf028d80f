// Turning what records hold into the strings rules work on. Decisions: strings, finite numbers and
// Booleans become text, anything else (objects, null) is no value; a value that is empty or only
// whitespace counts as no value everywhere (firstOf, drop conditions, onEmpty); of several values the
// first non-empty one is taken; `active` accepts only "true" or "false", in any case, around whitespace.
import { findKey } from '@roster/scim-core';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A key of a JSON object or LDAP entry, ignoring case. */
export function getIgnoringCase(obj: unknown, name: string): unknown {
  if (!isObject(obj)) return undefined;
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

export function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function hasValue(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}

function toText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The first of `values` that is a scalar with a non-blank text. */
export function firstText(values: readonly unknown[]): string | undefined {
  for (const v of values) {
    const text = toText(v);
    if (hasValue(text)) return text;
  }
  return undefined;
}

export function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}
