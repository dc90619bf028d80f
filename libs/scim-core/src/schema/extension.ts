// Custom schema extensions an admin declares for a connector (RFC 7643 section 3.3): validated from
// untrusted JSON into a SchemaDef, with RFC 7643 section 2.2 defaults for every characteristic left
// out. Every problem is reported at once, with the path of the offending value.
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './core-schemas';
import type { AttributeDef, AttributeType, Mutability, Returned, SchemaDef, Uniqueness } from './types';

export interface SchemaExtensionDeclaration {
  /** The resource type the extension adds attributes to. */
  resourceType: 'User' | 'Group';
  schema: SchemaDef;
}

export interface ExtensionProblem {
  path: string;
  message: string;
}

const TYPES: readonly AttributeType[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'];
const MUTABILITY: readonly Mutability[] = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED: readonly Returned[] = ['always', 'never', 'default', 'request'];
const UNIQUENESS: readonly Uniqueness[] = ['none', 'server', 'global'];
const ATTR_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
// An extension URN: urn:<nid>:<segments>, no spaces, as RFC 7643 section 3.3 schema ids are.
const SCHEMA_URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}(:[A-Za-z0-9()+,\-.=@;$_!*'%/?#]+)+$/;
const RESERVED = new Set([CORE_USER_SCHEMA, CORE_GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA].map((u) => u.toLowerCase()));
const ATTRIBUTE_KEYS = new Set(['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness', 'canonicalValues', 'referenceTypes', 'subAttributes']);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a list of declarations; URNs must be unique in the list and not an RFC schema. */
export function validateSchemaExtensions(input: unknown): { ok: true; extensions: SchemaExtensionDeclaration[] } | { ok: false; problems: ExtensionProblem[] } {
  const problems: ExtensionProblem[] = [];
  if (!Array.isArray(input)) return { ok: false, problems: [{ path: '', message: 'must be a list of schema extensions' }] };
  const seen = new Set<string>();
  const extensions: SchemaExtensionDeclaration[] = [];
  input.forEach((raw, i) => {
    const at = `[${i}]`;
    if (!isObject(raw)) {
      problems.push({ path: at, message: 'must be an object with resourceType and schema' });
      return;
    }
    for (const key of Object.keys(raw)) if (key !== 'resourceType' && key !== 'schema') problems.push({ path: `${at}.${key}`, message: 'is not a known key' });
    if (raw.resourceType !== 'User' && raw.resourceType !== 'Group') problems.push({ path: `${at}.resourceType`, message: 'must be "User" or "Group"' });
    const schema = schemaDef(raw.schema, `${at}.schema`, problems);
    if (!schema) return;
    const urn = schema.id.toLowerCase();
    if (RESERVED.has(urn)) problems.push({ path: `${at}.schema.id`, message: `${schema.id} is defined by RFC 7643 and cannot be redeclared` });
    else if (seen.has(urn)) problems.push({ path: `${at}.schema.id`, message: `${schema.id} is declared twice` });
    seen.add(urn);
    extensions.push({ resourceType: raw.resourceType as 'User' | 'Group', schema });
  });
  return problems.length ? { ok: false, problems } : { ok: true, extensions };
}

function schemaDef(raw: unknown, at: string, problems: ExtensionProblem[]): SchemaDef | undefined {
  if (!isObject(raw)) {
    problems.push({ path: at, message: 'must be an object with id, name and attributes' });
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!['id', 'name', 'description', 'attributes'].includes(key)) problems.push({ path: `${at}.${key}`, message: 'is not a known key' });
  if (typeof raw.id !== 'string' || !SCHEMA_URN.test(raw.id)) problems.push({ path: `${at}.id`, message: 'must be a schema URN such as "urn:example:params:scim:schemas:extension:acme:2.0:User"' });
  if (typeof raw.name !== 'string' || raw.name.trim() === '') problems.push({ path: `${at}.name`, message: 'must be a non-empty string' });
  if (raw.description !== undefined && typeof raw.description !== 'string') problems.push({ path: `${at}.description`, message: 'must be a string' });
  if (!Array.isArray(raw.attributes) || raw.attributes.length === 0) {
    problems.push({ path: `${at}.attributes`, message: 'must list at least one attribute' });
    return undefined;
  }
  const attributes = attributeList(raw.attributes, `${at}.attributes`, problems, true);
  if (typeof raw.id !== 'string' || typeof raw.name !== 'string') return undefined;
  return { id: raw.id, name: raw.name, description: typeof raw.description === 'string' ? raw.description : raw.name, attributes };
}

function attributeList(list: unknown[], at: string, problems: ExtensionProblem[], topLevel: boolean): AttributeDef[] {
  const names = new Set<string>();
  const out: AttributeDef[] = [];
  list.forEach((raw, i) => {
    const def = attribute(raw, `${at}[${i}]`, problems, topLevel);
    if (!def) return;
    if (names.has(def.name.toLowerCase())) problems.push({ path: `${at}[${i}].name`, message: `"${def.name}" is declared twice (names are case-insensitive)` });
    names.add(def.name.toLowerCase());
    out.push(def);
  });
  return out;
}

function attribute(raw: unknown, at: string, problems: ExtensionProblem[], topLevel: boolean): AttributeDef | undefined {
  if (!isObject(raw)) {
    problems.push({ path: at, message: 'must be an attribute object with at least name and type' });
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!ATTRIBUTE_KEYS.has(key)) problems.push({ path: `${at}.${key}`, message: 'is not an attribute characteristic' });
  const before = problems.length;
  const oneOf = <T extends string>(key: string, values: readonly T[], fallback: T): T => {
    const v = raw[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !values.includes(v as T)) problems.push({ path: `${at}.${key}`, message: `must be one of ${values.join(', ')}` });
    return v as T;
  };
  const flag = (key: string): boolean => {
    const v = raw[key];
    if (v === undefined) return false;
    if (typeof v !== 'boolean') problems.push({ path: `${at}.${key}`, message: 'must be true or false' });
    return v === true;
  };
  const strings = (key: string): string[] | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) problems.push({ path: `${at}.${key}`, message: 'must be a list of strings' });
    return v as string[];
  };
  if (typeof raw.name !== 'string' || !ATTR_NAME.test(raw.name)) problems.push({ path: `${at}.name`, message: 'must be an attribute name: a letter, then letters, digits, "_" or "-" (RFC 7643 2.1)' });
  const type = oneOf('type', TYPES, 'string');
  if (raw.type === undefined) problems.push({ path: `${at}.type`, message: `is required: one of ${TYPES.join(', ')}` });
  const def: AttributeDef = {
    name: String(raw.name),
    type,
    multiValued: flag('multiValued'),
    description: typeof raw.description === 'string' ? raw.description : String(raw.name),
    required: flag('required'),
    caseExact: flag('caseExact'),
    mutability: oneOf('mutability', MUTABILITY, 'readWrite'),
    returned: oneOf('returned', RETURNED, 'default'),
    uniqueness: oneOf('uniqueness', UNIQUENESS, 'none'),
  };
  const canonicalValues = strings('canonicalValues');
  if (canonicalValues) def.canonicalValues = canonicalValues;
  const referenceTypes = strings('referenceTypes');
  if (referenceTypes) def.referenceTypes = referenceTypes;
  if (type === 'complex') {
    if (!topLevel) problems.push({ path: `${at}.type`, message: 'a sub-attribute cannot be complex (RFC 7643 2.3.8)' });
    else if (!Array.isArray(raw.subAttributes) || raw.subAttributes.length === 0) problems.push({ path: `${at}.subAttributes`, message: 'a complex attribute must list its sub-attributes' });
    else def.subAttributes = attributeList(raw.subAttributes, `${at}.subAttributes`, problems, false);
  } else if (raw.subAttributes !== undefined) {
    problems.push({ path: `${at}.subAttributes`, message: 'only complex attributes have sub-attributes' });
  }
  if (type === 'reference' && !def.referenceTypes) problems.push({ path: `${at}.referenceTypes`, message: 'a reference attribute must name its referenceTypes' });
  // Uniqueness is only enforced for userName and group displayName; declaring it elsewhere would promise what Roster does not do.
  if (def.uniqueness !== 'none') problems.push({ path: `${at}.uniqueness`, message: 'Roster enforces uniqueness only for userName and group displayName; declare "none"' });
  return problems.length === before ? def : undefined;
}
