// SCIM sources: a PATCH-style path (RFC 7644 3.5.2) read from a User resource. Decisions:
// - Paths are resolved against the core and enterprise User schemas, so a typo in `userName` or
//   `urn:...:enterprise:2.0:User:departmnt` is refused; attributes of any other extension are read
//   without a schema when written with their URN (`urn:acme:1.0:User:costCenter`), but cannot take a
//   value filter, which needs to know the sub-attributes.
// - Several values (a multi-valued attribute, or several elements matching a value filter): elements
//   with `"primary": true` come first, then the others in order, and the first non-empty value wins.
//   So `emails.value` is the primary email, else the first one with a value.
// - A multi-valued complex attribute named alone (`emails`, `emails[type eq "work"]`) stands for its
//   `value` sub-attribute, as in filters; a single complex attribute (`name`, `manager`) must be
//   narrowed to a sub-attribute (`name.givenName`, `...:manager.value`).
// - A single object where a list is expected (OneLogin's `emails`) is read as a list of one.
import {
  ScimError,
  isWholeSchemaPath,
  matchValueFilter,
  parsePatchPath,
  userSchema,
  validateValueFilter,
  type AttributeDef,
  type Filter,
  type PatchPath,
} from '@roster/scim-core';
import { MappingProblem } from './problem';
import { asList, firstText, getIgnoringCase, isObject } from './values';

const USER = userSchema();

export interface ScimPath {
  /** Extension URN key holding the attribute, when it lives in an extension. */
  container?: string;
  attr: string;
  /** Sub-attribute to read from each element. */
  sub?: string;
  valueFilter?: { filter: Filter; parent: AttributeDef };
}

function parse(text: string): PatchPath {
  try {
    return parsePatchPath(text, { schemaUrns: USER.schemaUrns });
  } catch (e) {
    if (e instanceof ScimError) throw new MappingProblem(`"${text}" is not a SCIM path: ${e.detail}`);
    throw e;
  }
}

export function compileScimPath(text: string): ScimPath {
  const path = parse(text);
  if (isWholeSchemaPath(path)) throw new MappingProblem(`"${text}" names a whole schema; add one of its attributes, e.g. "${text}:department"`);
  if (path.schema !== undefined && !USER.schemaFor(path.schema)) {
    if (path.filter) throw new MappingProblem(`"${text}": value filters work only on attributes of the core and enterprise User schemas`);
    return { container: path.schema, attr: path.attr, ...(path.subAttr !== undefined ? { sub: path.subAttr } : {}) };
  }
  const resolved = USER.resolve({
    ...(path.schema !== undefined ? { schema: path.schema } : {}),
    attr: path.attr,
    ...(path.subAttr !== undefined ? { subAttr: path.subAttr } : {}),
  });
  if (!resolved) {
    throw new MappingProblem(
      `"${text}" is not an attribute of the SCIM core or enterprise User schema (attributes of other extensions need their schema URN)`,
    );
  }
  if (USER.comparedAttribute(resolved) === undefined) {
    const subs = resolved.target.subAttributes?.map((s) => s.name) ?? [];
    throw new MappingProblem(`"${text}" is a complex attribute; name one of its sub-attributes (${subs.join(', ')}), e.g. "${text}.${subs[0]}"`);
  }
  let valueFilter: ScimPath['valueFilter'];
  if (path.filter) {
    try {
      validateValueFilter(path.filter, resolved.attribute, USER);
    } catch (e) {
      if (e instanceof ScimError) throw new MappingProblem(`"${text}": ${e.detail}`);
      throw e;
    }
    valueFilter = { filter: path.filter, parent: resolved.attribute };
  }
  return {
    ...(resolved.extension ? { container: resolved.schema } : {}),
    attr: resolved.attribute.name,
    ...(resolved.subAttribute ? { sub: resolved.subAttribute.name } : {}),
    ...(valueFilter ? { valueFilter } : {}),
  };
}

function isPrimary(element: unknown): boolean {
  return getIgnoringCase(element, 'primary') === true;
}

export function readScimPath(path: ScimPath, resource: Record<string, unknown>): string | undefined {
  const holder = path.container === undefined ? resource : getIgnoringCase(resource, path.container);
  let elements = asList(getIgnoringCase(holder, path.attr));
  const vf = path.valueFilter;
  if (vf) elements = elements.filter((element) => matchValueFilter(vf.filter, element, vf.parent, USER));
  // Read on every SCIM write for every mapped field: primary elements first, without building lists.
  return firstValue(elements, path.sub, true) ?? firstValue(elements, path.sub, false);
}

/** The first non-empty text among the (non-)primary `elements`' values, in order. */
function firstValue(elements: readonly unknown[], leaf: string | undefined, primary: boolean): string | undefined {
  for (const element of elements) {
    if (isPrimary(element) !== primary) continue;
    const text = firstText(leaf !== undefined ? asList(getIgnoringCase(element, leaf)) : isObject(element) ? asList(getIgnoringCase(element, 'value')) : [element]);
    if (text !== undefined) return text;
  }
  return undefined;
}
