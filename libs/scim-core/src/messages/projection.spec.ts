import { ScimError } from '../errors';
import { ENTERPRISE_USER_SCHEMA } from '../schema/core-schemas';
import { userSchema } from '../schema/resource-schema';
import type { AttributeDef, SchemaDef } from '../schema/types';
import { parseAttributeList, project } from './projection';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const EXT = 'urn:example:params:scim:schemas:extension:audit:2.0:User';

function attr(name: string, returned: AttributeDef['returned'], extra: Partial<AttributeDef> = {}): AttributeDef {
  return { name, type: 'string', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned, uniqueness: 'none', ...extra };
}

/** An extension exercising every `returned` value, on attributes and on sub-attributes. */
const AUDIT: SchemaDef = {
  id: EXT,
  name: 'Audit',
  description: '',
  attributes: [
    attr('reviewer', 'default'),
    attr('riskScore', 'request'),
    attr('secret', 'never'),
    attr('trail', 'default', {
      type: 'complex',
      multiValued: true,
      subAttributes: [attr('at', 'always'), attr('note', 'default'), attr('raw', 'request'), attr('hash', 'never')],
    }),
  ],
};
const schema = userSchema([AUDIT]);

function user(): Record<string, unknown> {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, EXT],
    id: '2819c223-7f76-453a-919d-413861904646',
    externalId: 'bjensen',
    userName: 'bjensen',
    name: { familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane' },
    displayName: 'Babs Jensen',
    password: 't1meMa$heen',
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    active: true,
    [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: 'm1', displayName: 'John Smith' } },
    [EXT]: {
      reviewer: 'ann',
      riskScore: '7',
      secret: 's',
      trail: [{ at: '2020-01-01T00:00:00Z', note: 'created', raw: '{}', hash: 'x' }],
    },
    meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', version: 'W/"a330bc54f0671c9"' },
  };
}

const { password: _password, ...withoutPassword } = user();
const DEFAULT_VIEW = {
  ...withoutPassword,
  [EXT]: { reviewer: 'ann', trail: [{ at: '2020-01-01T00:00:00Z', note: 'created' }] },
};

describe('parseAttributeList', () => {
  it.each([
    ['userName', ['userName']],
    ['userName, name.givenName ,urn:ietf:params:scim:schemas:core:2.0:User:emails', ['userName', 'name.givenName', 'urn:ietf:params:scim:schemas:core:2.0:User:emails']],
    ['', []],
    [' , ,', []],
    [undefined, []],
    [['a,b', 'c'], ['a', 'b', 'c']],
  ])('%j', (text, expected) => expect(parseAttributeList(text as string)).toEqual(expected));
});

describe('project', () => {
  it('returns default and always attributes, never "never" or "request" ones, by default', () => {
    expect(project(user(), schema)).toEqual(DEFAULT_VIEW);
  });

  it('answers the RFC 7644 3.9 example "attributes=userName" with schemas, id and userName', () => {
    expect(project(user(), schema, { attributes: ['userName'] })).toEqual({ schemas: user().schemas, id: user().id, userName: 'bjensen' });
  });

  const included: [string, string[], Record<string, unknown>][] = [
    ['a sub-attribute', ['name.givenName'], { name: { givenName: 'Barbara' } }],
    ['a sub-attribute of a multi-valued attribute', ['emails.value'], { emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }] }],
    ['a whole complex attribute', ['NAME'], { name: user().name as object }],
    ['URN-qualified names, case-insensitively', ['URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:displayname'], { displayName: 'Babs Jensen' }],
    ['an extension attribute by short name', ['department'], { [ENTERPRISE_USER_SCHEMA]: { department: 'Tour Operations' } }],
    ['an extension sub-attribute', [`${ENTERPRISE_USER_SCHEMA}:manager.value`], { [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm1' } } }],
    ['a whole extension', [ENTERPRISE_USER_SCHEMA], { [ENTERPRISE_USER_SCHEMA]: user()[ENTERPRISE_USER_SCHEMA] as object }],
    ['a whole extension leaves "request" attributes out', [EXT], { [EXT]: DEFAULT_VIEW[EXT] }],
    ['a "request" attribute when named', ['riskScore'], { [EXT]: { riskScore: '7' } }],
    ['a "request" sub-attribute when named, with the "always" one', ['trail.raw'], { [EXT]: { trail: [{ at: '2020-01-01T00:00:00Z', raw: '{}' }] } }],
    ['never a "never" attribute, even when named', ['password', 'secret', 'trail.hash'], { [EXT]: { trail: [{ at: '2020-01-01T00:00:00Z' }] } }],
    ['meta sub-attributes', ['meta.lastModified'], { meta: { lastModified: '2011-05-13T04:42:34Z' } }],
    ['nothing for unknown names', ['shoeSize', 'name.nick', 'urn:example:unknown:2.0:User:x'], {}],
  ];
  it.each(included)('attributes: %s', (_, attributes, expected) => {
    expect(project(user(), schema, { attributes })).toEqual({ schemas: user().schemas, id: user().id, ...expected });
  });

  const excluded: [string, string[], (v: Record<string, unknown>) => Record<string, unknown>][] = [
    ['a simple attribute', ['displayName'], ({ displayName: _d, ...v }) => v],
    ['a sub-attribute', ['name.givenName'], (v) => ({ ...v, name: { familyName: 'Jensen', middleName: 'Jane' } })],
    ['a multi-valued sub-attribute', ['emails.type', 'emails.primary'], (v) => ({ ...v, emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }] })],
    ['a whole extension', [ENTERPRISE_USER_SCHEMA], ({ [ENTERPRISE_USER_SCHEMA]: _e, ...v }) => v],
    ['the last attribute of an extension, dropping it', ['employeeNumber', 'department', 'manager'], ({ [ENTERPRISE_USER_SCHEMA]: _e, ...v }) => v],
    ['but never an "always" attribute', ['id', 'schemas', 'trail.at'], (v) => v],
    ['case-insensitively', ['EMAILS', 'Meta'], ({ emails: _e, meta: _m, ...v }) => v],
  ];
  it.each(excluded)('excludedAttributes: %s', (_, excludedAttributes, expected) => {
    expect(project(user(), schema, { excludedAttributes })).toEqual(expected({ ...DEFAULT_VIEW }));
  });

  it('lets attributes win over excludedAttributes', () => {
    expect(project(user(), schema, { attributes: ['userName'], excludedAttributes: ['userName'] })).toMatchObject({ userName: 'bjensen' });
  });

  it('keeps attributes outside the schema when only excluding, and drops them when selecting', () => {
    const odd = { ...user(), legacyFlag: true };
    expect(project(odd, schema)).toHaveProperty('legacyFlag', true);
    expect(project(odd, schema, { attributes: ['userName'] })).not.toHaveProperty('legacyFlag');
  });

  it('omits complex values left empty', () => {
    const r = project({ ...user(), name: { middleName: 'Jane' } }, schema, { attributes: ['name.givenName'] });
    expect(r).not.toHaveProperty('name');
  });

  it('does not modify its input', () => {
    const input = user();
    const copy = JSON.parse(JSON.stringify(input));
    project(input, schema, { excludedAttributes: ['name.givenName', ENTERPRISE_USER_SCHEMA] });
    project(input, schema, { attributes: ['emails.value'] });
    expect(input).toEqual(copy);
  });

  it('refuses a name that is not an attribute path with invalidValue', () => {
    const run = () => project(user(), schema, { attributes: ['emails[type eq "work"]'] });
    expect(run).toThrow(ScimError);
    try {
      run();
    } catch (e) {
      expect((e as ScimError).scimType).toBe('invalidValue');
    }
  });
});
