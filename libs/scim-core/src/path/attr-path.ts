// Attribute paths (RFC 7644 section 3.10, attrPath of 3.4.2.2) and PATCH paths (section 3.5.2:
// PATH = attrPath / valuePath [subAttr]), with their printers. A URN-qualified path splits at the
// last colon: `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value` is schema
// `urn:...:enterprise:2.0:User`, attr `manager`, subAttr `value`. A path that is exactly a known
// schema URN names the whole extension and parses to `{ schema, attr: '' }` (see AttrPath.attr).

import { ScimError } from '../errors';
import type { AttrPath, PatchPath } from '../filter/ast';
import { splitAttrPath, tokenize, type PathOptions } from '../filter/lexer';
import { parsePatchPathSyntax, type FilterParseOptions } from '../filter/parser';
import { printAttrPath, printFilter } from '../filter/printer';

export type PathParseOptions = FilterParseOptions;

/**
 * Parses a plain attribute path (`userName`, `name.givenName`, `urn:...:User:department`, or a
 * known schema URN alone, as `attributes=` allows). Throws `ScimError(400, 'invalidPath')`.
 */
export function parseAttrPath(text: string, options: PathParseOptions = {}): AttrPath {
  const opts: PathOptions = { scimType: 'invalidPath', subject: 'path', allowWholeSchema: true, ...options };
  const tokens = tokenize(text, opts);
  const [first, second] = tokens;
  if (first.kind === 'eof') throw new ScimError(400, 'invalidPath', 'Empty attribute path');
  if (first.kind !== 'word') throw new ScimError(400, 'invalidPath', `Expected an attribute path at ${first.pos}, found "${first.text}"`);
  if (second.kind !== 'eof') {
    throw new ScimError(400, 'invalidPath', `Unexpected "${second.text}" at ${second.pos} in attribute path "${text}"`);
  }
  return splitAttrPath(first.text, first.pos, opts);
}

/**
 * Parses a PATCH operation path: `members[value eq "2819c223-..."]`, `emails[type eq "work"].value`,
 * `name.familyName`, `urn:...:enterprise:2.0:User:employeeNumber`, or an extension URN alone.
 * Paths inside "[...]" are relative to the filtered attribute. Throws `ScimError(400, 'invalidPath')`.
 */
export function parsePatchPath(text: string, options: PathParseOptions = {}): PatchPath {
  return parsePatchPathSyntax(text, options);
}

export { printAttrPath as formatAttrPath };

export function formatPatchPath(p: PatchPath): string {
  const head = printAttrPath({ ...(p.schema !== undefined ? { schema: p.schema } : {}), attr: p.attr });
  if (!p.filter) return printAttrPath(p);
  return `${head}[${printFilter(p.filter)}]${p.subAttr !== undefined ? `.${p.subAttr}` : ''}`;
}

/** True when the path names a whole schema (`{ schema, attr: '' }`) rather than an attribute. */
export function isWholeSchemaPath(p: AttrPath | PatchPath): boolean {
  return p.attr === '' && p.schema !== undefined;
}
