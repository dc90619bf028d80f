import { CORE_GROUP_SCHEMA, CORE_USER, CORE_USER_SCHEMA, ENTERPRISE_USER, ENTERPRISE_USER_SCHEMA, USER_RESOURCE_TYPE } from './core-schemas';
import { findKey, groupSchema, ResourceSchema, userSchema } from './resource-schema';
import type { SchemaDef } from './types';

const ACME = 'urn:acme:params:scim:schemas:extension:acme:2.0:User';
const acmeExtension: SchemaDef = {
  id: ACME,
  name: 'AcmeUser',
  description: 'Acme attributes',
  attributes: [
    {
      name: 'badgeNumber',
      type: 'integer',
      multiValued: false,
      description: 'Badge',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
    {
      name: 'department',
      type: 'string',
      multiValued: false,
      description: 'Shadowed by the enterprise extension for unqualified paths',
      required: false,
      caseExact: true,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    },
  ],
};

describe('ResourceSchema', () => {
  const users = userSchema();

  it('resolves core attributes case-insensitively to their schema spelling', () => {
    const r = users.resolve({ attr: 'USERNAME' });
    expect(r).toMatchObject({ schema: CORE_USER_SCHEMA, extension: false, common: false, path: { attr: 'userName' } });
    expect(r?.attribute.uniqueness).toBe('server');
    expect(r?.target).toBe(r?.attribute);
    expect(r?.subAttribute).toBeUndefined();
  });

  it('resolves sub-attributes', () => {
    const r = users.resolve({ attr: 'name', subAttr: 'FAMILYNAME' });
    expect(r).toMatchObject({ path: { attr: 'name', subAttr: 'familyName' } });
    expect(r?.target.name).toBe('familyName');
    expect(r?.attribute.name).toBe('name');
  });

  it('resolves common attributes, which belong to no schema, against the core schema', () => {
    expect(users.resolve({ attr: 'id' })).toMatchObject({ schema: CORE_USER_SCHEMA, common: true, extension: false });
    expect(users.resolve({ attr: 'meta', subAttr: 'lastmodified' })?.target.type).toBe('dateTime');
    expect(users.resolve({ attr: 'schemas' })?.common).toBe(true);
    expect(users.resolve({ schema: CORE_USER_SCHEMA, attr: 'externalId' })?.common).toBe(true);
  });

  it('resolves extension attributes with or without their URN, in any case', () => {
    const bare = users.resolve({ attr: 'department' });
    const qualified = users.resolve({ schema: ENTERPRISE_USER_SCHEMA.toUpperCase(), attr: 'Department' });
    expect(bare).toEqual(qualified);
    expect(bare).toMatchObject({ schema: ENTERPRISE_USER_SCHEMA, extension: true, path: { schema: ENTERPRISE_USER_SCHEMA, attr: 'department' } });
    expect(users.resolve({ schema: ENTERPRISE_USER_SCHEMA, attr: 'manager', subAttr: 'value' })?.path).toEqual({
      schema: ENTERPRISE_USER_SCHEMA,
      attr: 'manager',
      subAttr: 'value',
    });
  });

  it('accepts a core attribute written with the core URN and drops the URN from the canonical path', () => {
    expect(users.resolve({ schema: 'urn:ietf:params:scim:schemas:core:2.0:user', attr: 'username' })?.path).toEqual({ attr: 'userName' });
  });

  it.each([
    [{ attr: 'nope' }],
    [{ attr: 'name', subAttr: 'nope' }],
    [{ attr: 'userName', subAttr: 'x' }],
    [{ schema: ENTERPRISE_USER_SCHEMA, attr: 'userName' }],
    [{ schema: CORE_USER_SCHEMA, attr: 'department' }],
    [{ schema: 'urn:unknown:Schema', attr: 'userName' }],
    [{ schema: ENTERPRISE_USER_SCHEMA, attr: '' }],
    [{ attr: 'members' }],
  ])('does not resolve %j', (path) => {
    expect(users.resolve(path)).toBeUndefined();
  });

  it('recognises a path naming a whole schema, split or not', () => {
    expect(users.wholeSchema({ schema: ENTERPRISE_USER_SCHEMA, attr: '' })).toBe(ENTERPRISE_USER);
    expect(users.wholeSchema({ schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0', attr: 'user' })).toBe(ENTERPRISE_USER);
    expect(users.wholeSchema({ attr: 'department' })).toBeUndefined();
    expect(users.wholeSchema({ schema: ENTERPRISE_USER_SCHEMA, attr: 'department' })).toBeUndefined();
  });

  it('answers caseExact, using `value` for multi-valued complex attributes', () => {
    const isCaseExact = (attr: string, subAttr?: string) => users.isCaseExact(users.resolve({ attr, ...(subAttr ? { subAttr } : {}) })!);
    expect(isCaseExact('userName')).toBe(false);
    expect(isCaseExact('id')).toBe(true);
    expect(isCaseExact('externalId')).toBe(true);
    expect(isCaseExact('emails')).toBe(false);
    expect(isCaseExact('emails', 'value')).toBe(false);
  });

  it('knows which attribute a comparison on a complex attribute really compares', () => {
    expect(users.comparedAttribute(users.resolve({ attr: 'emails' })!)?.name).toBe('value');
    expect(users.comparedAttribute(users.resolve({ attr: 'name' })!)).toBeUndefined();
    expect(users.comparedAttribute(users.resolve({ attr: 'addresses' })!)).toBeUndefined();
    expect(users.comparedAttribute(users.resolve({ attr: 'title' })!)?.name).toBe('title');
  });

  it('lists its schemas and helpers for the PATCH engine and the SQL compiler', () => {
    expect(users.schemaUrns).toEqual([CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    expect(users.isExtension(ENTERPRISE_USER_SCHEMA.toLowerCase())).toBe(true);
    expect(users.isExtension(CORE_USER_SCHEMA)).toBe(false);
    expect(users.attributeFor(ENTERPRISE_USER_SCHEMA, 'MANAGER')?.name).toBe('manager');
    expect(users.attributeFor(CORE_USER_SCHEMA, 'id')?.name).toBe('id');
    expect(users.attributeFor('urn:x', 'id')).toBeUndefined();
    expect(users.resolveSub(users.attributeFor(CORE_USER_SCHEMA, 'emails')!, 'TYPE')?.name).toBe('type');
    expect(users.attributesOf(CORE_USER_SCHEMA).map((a) => a.name).slice(0, 5)).toEqual(['id', 'externalId', 'meta', 'schemas', 'userName']);
    expect(users.locate(users.resolve({ attr: 'department' })!)).toEqual({ container: ENTERPRISE_USER_SCHEMA, attr: 'department' });
    expect(users.locate(users.resolve({ attr: 'name', subAttr: 'givenName' })!)).toEqual({ attr: 'name' });
  });

  it('resolves textual paths, and nothing for malformed ones', () => {
    expect(users.resolveText('NAME.givenname')?.path).toEqual({ attr: 'name', subAttr: 'givenName' });
    expect(users.resolveText(`${ENTERPRISE_USER_SCHEMA}:manager.value`)?.target.name).toBe('value');
    expect(users.resolveText(ENTERPRISE_USER_SCHEMA)).toBeUndefined();
    expect(users.resolveText('emails[type eq "work"]')).toBeUndefined();
    expect(users.resolveText('')).toBeUndefined();
    expect(users.resolveText('nope')).toBeUndefined();
  });

  it('remembers textual paths it resolved and parsed, as answers no caller can change', () => {
    const first = users.resolveText('name.familyName')!;
    expect(users.resolveText('name.familyName')).toBe(first);
    expect(() => {
      (first as { schema: string }).schema = 'urn:changed';
    }).toThrow(TypeError);
    expect(users.resolveText('NAME.FAMILYNAME')?.path).toEqual({ attr: 'name', subAttr: 'familyName' });
    expect(users.resolveText('nope')).toBeUndefined();

    const path = users.patchPath('emails[type eq "work"].value');
    expect(path).toMatchObject({ attr: 'emails', subAttr: 'value', filter: { kind: 'compare', op: 'eq', value: 'work' } });
    expect(users.patchPath('emails[type eq "work"].value')).toBe(path);
    expect(() => {
      (path.filter as { value: unknown }).value = 'home';
    }).toThrow(TypeError);
    // A malformed path is refused every time, never remembered as something else.
    expect(() => users.patchPath('emails[type eq')).toThrow(/path|filter/i);
    expect(() => users.patchPath('emails[type eq')).toThrow(/path|filter/i);
  });

  it('keeps answering correctly past the number of paths it remembers', () => {
    const schema = userSchema();
    for (let i = 0; i < 2_500; i++) expect(schema.resolveText(`unknown${i}`)).toBeUndefined();
    expect(schema.resolveText('userName')?.path).toEqual({ attr: 'userName' });
    for (let i = 0; i < 2_500; i++) expect(schema.patchPath(`custom${i}`).attr).toBe(`custom${i}`);
    expect(schema.patchPath('name.givenName')).toMatchObject({ attr: 'name', subAttr: 'givenName' });
  });

  it('builds the Group resource type', () => {
    const groups = groupSchema();
    expect(groups.schemaUrns).toEqual([CORE_GROUP_SCHEMA]);
    expect(groups.resolve({ attr: 'members', subAttr: '$REF' })?.path).toEqual({ attr: 'members', subAttr: '$ref' });
    expect(groups.resolve({ attr: 'userName' })).toBeUndefined();
  });

  it('takes custom extension schemas after the RFC ones', () => {
    const custom = userSchema([acmeExtension]);
    expect(custom.schemaUrns).toEqual([CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ACME]);
    expect(custom.extensions.map((e) => e.required)).toEqual([false, false]);
    expect(custom.resolve({ attr: 'badgenumber' })).toMatchObject({ schema: ACME, extension: true });
    // Unqualified names resolve in declaration order: the enterprise department wins...
    expect(custom.resolve({ attr: 'department' })?.schema).toBe(ENTERPRISE_USER_SCHEMA);
    // ...and the URN reaches the other one.
    expect(custom.resolve({ schema: ACME, attr: 'department' })?.target.caseExact).toBe(true);
    expect(userSchema().resolve({ attr: 'badgeNumber' })).toBeUndefined();
  });

  it('refuses inconsistent definitions', () => {
    expect(() => new ResourceSchema(USER_RESOURCE_TYPE, [CORE_USER])).toThrow(/names schema .*enterprise.*which was not supplied/);
    expect(() => userSchema([ENTERPRISE_USER])).toThrow(/declared twice/);
  });
});

describe('findKey', () => {
  it('finds a key ignoring case, preferring the exact spelling', () => {
    expect(findKey({ UserName: 1 }, 'userName')).toBe('UserName');
    expect(findKey({ userName: 1, USERNAME: 2 }, 'USERNAME')).toBe('USERNAME');
    expect(findKey({ a: 1 }, 'b')).toBeUndefined();
    expect(findKey({}, 'constructor')).toBeUndefined();
  });
});
