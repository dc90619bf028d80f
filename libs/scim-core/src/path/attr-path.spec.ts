import { ScimError } from '../errors';
import type { PatchPath } from '../filter/ast';
import { ENTERPRISE_USER_SCHEMA } from '../schema/core-schemas';
import { formatAttrPath, formatPatchPath, isWholeSchemaPath, parseAttrPath, parsePatchPath } from './attr-path';

function failure(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('parseAttrPath', () => {
  it.each([
    ['userName', { attr: 'userName' }],
    ['name.givenName', { attr: 'name', subAttr: 'givenName' }],
    ['NAME.GIVENNAME', { attr: 'NAME', subAttr: 'GIVENNAME' }],
    ['groups.$ref', { attr: 'groups', subAttr: '$ref' }],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName', { schema: 'urn:ietf:params:scim:schemas:core:2.0:User', attr: 'userName' }],
    [`${ENTERPRISE_USER_SCHEMA}:department`, { schema: ENTERPRISE_USER_SCHEMA, attr: 'department' }],
    [`${ENTERPRISE_USER_SCHEMA}:manager.value`, { schema: ENTERPRISE_USER_SCHEMA, attr: 'manager', subAttr: 'value' }],
    [ENTERPRISE_USER_SCHEMA, { schema: ENTERPRISE_USER_SCHEMA, attr: '' }],
    ['urn:acme:params:scim:schemas:extension:acme-corp:1.0:User:badge_id', { schema: 'urn:acme:params:scim:schemas:extension:acme-corp:1.0:User', attr: 'badge_id' }],
  ])('parses %s', (text, expected) => {
    expect(parseAttrPath(text)).toEqual(expected);
    expect(formatAttrPath(parseAttrPath(text))).toBe(text);
  });

  it('recognises caller-declared schema URNs standing alone', () => {
    const urn = 'urn:acme:scim:ext:User';
    expect(parseAttrPath(urn)).toEqual({ schema: 'urn:acme:scim:ext', attr: 'User' });
    expect(parseAttrPath(urn, { schemaUrns: [urn] })).toEqual({ schema: urn, attr: '' });
    expect(parseAttrPath('URN:ACME:SCIM:EXT:USER', { schemaUrns: [urn] })).toEqual({ schema: 'URN:ACME:SCIM:EXT:USER', attr: '' });
  });

  it.each([
    ['', 'Empty attribute path'],
    ['emails[type eq "work"]', 'Unexpected "[" at 6 in attribute path'],
    ['name.givenName.x', 'has more than one sub-attribute'],
    ['1name', 'Invalid number "1name" at 0'],
    ['name.1x', 'Invalid attribute name "1x" at 5'],
    ['"userName"', 'Expected an attribute path at 0'],
    ['user name', 'Unexpected "name" at 5'],
  ])('refuses %j with invalidPath', (text, message) => {
    const e = failure(() => parseAttrPath(text));
    expect(e).toMatchObject({ status: 400, scimType: 'invalidPath' });
    expect(e.detail).toContain(message);
  });
});

/** RFC 7644 section 3.5.2 PATCH path examples, with the path each must produce. */
const RFC7644_PATCH_PATHS: [string, PatchPath][] = [
  [
    'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
    { attr: 'members', filter: { kind: 'compare', path: { attr: 'value' }, op: 'eq', value: '2819c223-7f76-453a-919d-413861904646' } },
  ],
  [
    'emails[type eq "work"].value',
    { attr: 'emails', filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' }, subAttr: 'value' },
  ],
  ['name.familyName', { attr: 'name', subAttr: 'familyName' }],
  ['addresses[type eq "work"]', { attr: 'addresses', filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' } }],
  [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`, { schema: ENTERPRISE_USER_SCHEMA, attr: 'employeeNumber' }],
  ['members', { attr: 'members' }],
  [
    'members[value eq "2819c223-7f76-453a-919d-413861904646"].displayName',
    {
      attr: 'members',
      filter: { kind: 'compare', path: { attr: 'value' }, op: 'eq', value: '2819c223-7f76-453a-919d-413861904646' },
      subAttr: 'displayName',
    },
  ],
  [
    'emails[type eq "work" and value ew "example.com"]',
    {
      attr: 'emails',
      filter: {
        kind: 'logical',
        op: 'and',
        left: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
        right: { kind: 'compare', path: { attr: 'value' }, op: 'ew', value: 'example.com' },
      },
    },
  ],
];

describe('parsePatchPath', () => {
  it.each(RFC7644_PATCH_PATHS)('parses and round-trips %s', (text, expected) => {
    expect(parsePatchPath(text)).toEqual(expected);
    expect(formatPatchPath(parsePatchPath(text))).toBe(text);
  });

  it('represents a whole extension schema as { schema, attr: "" }', () => {
    const p = parsePatchPath(ENTERPRISE_USER_SCHEMA);
    expect(p).toEqual({ schema: ENTERPRISE_USER_SCHEMA, attr: '' });
    expect(isWholeSchemaPath(p)).toBe(true);
    expect(isWholeSchemaPath(parsePatchPath('name'))).toBe(false);
    expect(formatPatchPath(p)).toBe(ENTERPRISE_USER_SCHEMA);
  });

  it('accepts URN-qualified value paths', () => {
    expect(parsePatchPath('urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value')).toEqual({
      schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
      attr: 'emails',
      filter: { kind: 'compare', path: { attr: 'type' }, op: 'eq', value: 'work' },
      subAttr: 'value',
    });
  });

  it.each([
    ['', 'Empty path'],
    ['   ', 'Empty path'],
    ['emails[type eq "work"', 'Expected "]" to close "[" at 6, found end of path at 21'],
    ['emails[type eq "work"].', 'Expected a sub-attribute name after "." at 22, found end of path'],
    ['emails[type eq "work"].value.x', 'Expected a sub-attribute name after "]." at 23, found "value.x"'],
    ['emails[type eq]', 'Expected a value (a string in double quotes, a number, true, false or null) after "eq" at 14, found token "]"'],
    ['emails[]', 'Empty value filter at 6'],
    ['emails[type eq "work"] x', 'Unexpected token "x" at 23'],
    ['name.familyName.x', 'has more than one sub-attribute'],
    ['name.givenName[value eq "x"]', 'must follow a multi-valued attribute'],
    ['name familyName', 'Unexpected token "familyName" at 5'],
    ['"name"', 'Expected an attribute path at 0, found string "name"'],
    [`${ENTERPRISE_USER_SCHEMA}[value eq "x"]`, 'Unexpected token "[" at 58'],
  ])('refuses %j with invalidPath', (text, message) => {
    const e = failure(() => parsePatchPath(text));
    expect(e).toMatchObject({ status: 400, scimType: 'invalidPath' });
    expect(e.detail).toContain(message);
  });
});
