// What a mapping rule can write: the standard directory fields and custom attributes
// (`custom:<name>`), and the shape of the result. Decisions: `active` is the only Boolean field, every
// other field and every custom attribute is a string; null means "cleared" while an absent key means
// "no rule decided this field" (the caller leaves the stored value alone); custom attribute names are
// compared case-insensitively for duplicates but kept as written in the result.

export const DIRECTORY_FIELDS = [
  'username',
  'email',
  'displayName',
  'firstName',
  'lastName',
  'active',
  'externalId',
  'phone',
  'title',
  'department',
  'manager',
  'employeeNumber',
] as const;

export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

export const CUSTOM_TARGET_PREFIX = 'custom:';
export type CustomTarget = `custom:${string}`;
export type Target = DirectoryField | CustomTarget;

/** Custom attribute names: a letter, then up to 63 letters, digits, `_`, `.` or `-`. */
export const CUSTOM_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export type ParsedTarget = { kind: 'field'; field: DirectoryField } | { kind: 'custom'; name: string };

/** Splits a target into a directory field or a custom attribute name; undefined when it is neither. */
export function parseTarget(text: string): ParsedTarget | undefined {
  const field = DIRECTORY_FIELDS.find((f) => f === text);
  if (field) return { kind: 'field', field };
  if (!text.startsWith(CUSTOM_TARGET_PREFIX)) return undefined;
  const name = text.slice(CUSTOM_TARGET_PREFIX.length);
  return CUSTOM_NAME.test(name) ? { kind: 'custom', name } : undefined;
}

/** The directory fields; `active` is Boolean, the rest strings; null is a cleared value. */
export type DirectoryFields = { [F in DirectoryField]?: F extends 'active' ? boolean | null : string | null };

/** Field and custom-attribute values: the result of a mapping, and the `previous` input of `keep`. */
export interface MappedValues {
  fields: DirectoryFields;
  custom: Record<string, string | null>;
}

/** Which rule produced a value: its index in `rules`, `'kept'` (previous value) or `'default'`. */
export type Provenance = number | 'kept' | 'default';

export interface MappedUser extends MappedValues {
  /** One entry per target present in `fields` or `custom`, keyed by target (`email`, `custom:costCenter`). */
  provenance: Partial<Record<Target, Provenance>>;
}
