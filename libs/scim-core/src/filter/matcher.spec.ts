import { ScimError } from '../errors';
import { ENTERPRISE_USER_SCHEMA } from '../schema/core-schemas';
import { groupSchema, userSchema } from '../schema/resource-schema';
import type { SchemaDef } from '../schema/types';
import { isPresent, matchFilter, matchValueFilter } from './matcher';
import { parseFilter, validateFilter, validateValueFilter } from './parser';
import { RFC7643_FULL_USER } from '../testing/rfc-examples';

/** RFC 7643 section 8.2, "Full User Representation". */
const BJENSEN = RFC7643_FULL_USER;

/** RFC 7643 section 8.3, "Enterprise User Extension Representation" (8.2 plus the extension). */
const BJENSEN_ENTERPRISE = {
  ...BJENSEN,
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER_SCHEMA],
  [ENTERPRISE_USER_SCHEMA]: {
    employeeNumber: '701984',
    costCenter: '4130',
    organization: 'Universal Studios',
    division: 'Theme Park',
    department: 'Tour Operations',
    manager: {
      value: '26118915-6090-4610-87e4-49d8ca9f808d',
      $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d',
      displayName: 'John Smith',
    },
  },
};

const users = userSchema();
const matches = (filter: string, resource: object = BJENSEN_ENTERPRISE) => matchFilter(parseFilter(filter), resource, users);

function failure(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('matchFilter over the RFC 7643 8.2 / 8.3 user', () => {
  // The RFC 7644 3.4.2.2 examples, with what each says about Barbara Jensen.
  it.each<[string, boolean]>([
    ['userName Eq "john"', false],
    ['Username eq "bjensen@example.com"', true],
    ['userName eq "bjensen"', false],
    ['name.familyName co "O\'Malley"', false],
    ['name.familyName co "ense"', true],
    ['userName sw "J"', false],
    ['userName sw "B"', true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName sw "b"', true],
    ['title pr', true],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', true],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', false],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', true],
    ['title pr and userType eq "Employee"', true],
    ['title pr or userType eq "Intern"', true],
    ['schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"', true],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', true],
    ['userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', false],
    ['userType eq "Employee" and (emails.type eq "work")', true],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', true],
    ['emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', true],
  ])('%s => %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it.each<[string, boolean]>([
    // caseExact false (userName, emails.value) vs true (id, externalId)
    ['userName eq "BJENSEN@EXAMPLE.COM"', true],
    ['emails.value eq "BABS@JENSEN.ORG"', true],
    ['id eq "2819C223-7F76-453A-919D-413861904646"', false],
    ['id eq "2819c223-7f76-453a-919d-413861904646"', true],
    ['externalId eq "701984"', true],
    // attribute names in any case, in the filter and in the resource
    ['USERTYPE eq "employee"', true],
    ['NAME.GIVENNAME eq "barbara"', true],
    // multi-valued: any value matches
    ['emails.type eq "home"', true],
    ['phoneNumbers.value ew "4444"', true],
    ['phoneNumbers.type eq "fax"', false],
    // grouping: one element must satisfy the whole inner filter
    ['emails[type eq "home" and primary eq true]', false],
    ['emails.type eq "home" and emails.primary eq true', true],
    ['emails[type eq "work" and primary eq true]', true],
    ['emails[type eq "work"].value eq "bjensen@example.com"', true],
    ['emails[type eq "home"].value eq "bjensen@example.com"', false],
    ['emails[not (type eq "work")].value co "jensen.org"', true],
    ['addresses[type eq "work" and postalCode eq "91608"]', true],
    ['addresses[type eq "home" and primary eq true]', false],
    ['groups[display sw "tour"]', true],
    ['groups.$ref ew "c726e15c55b5"', true],
    // strings order lexicographically
    ['name.familyName gt "A"', true],
    ['name.familyName lt "jensen"', false],
    ['name.familyName le "jensen"', true],
    ['userName ew ".COM"', true],
    // dateTime: chronological, whatever the zone or precision
    ['meta.created lt "2011-01-01T00:00:00Z"', true],
    ['meta.created eq "2010-01-23T04:56:22.000Z"', true],
    ['meta.created eq "2010-01-23T06:56:22+02:00"', true],
    ['meta.created gt "2010-01-23T05:00:00+01:00"', true],
    // Boolean
    ['active eq true', true],
    ['active ne true', false],
    ['active eq false', false],
    // extension attributes, qualified or not
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "tour operations"', true],
    ['department sw "Tour"', true],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"', true],
    ['manager.displayName co "Smith"', true],
    ['manager pr', true],
    ['costCenter gt "4000"', true],
    // pr
    ['nickName pr', true],
    ['x509Certificates pr', true],
    ['entitlements pr', false],
    ['roles.value pr', false],
    ['name pr', true],
    // not
    ['not (userName eq "bjensen@example.com")', false],
    ['not (title eq "CEO")', true],
  ])('%s => %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('does not find extension attributes on a resource without the extension', () => {
    expect(matches('department pr', BJENSEN)).toBe(false);
    expect(matches('department eq "Tour Operations"', BJENSEN)).toBe(false);
    expect(matches('department ne "Tour Operations"', BJENSEN)).toBe(true);
  });

  it('finds attributes and extension keys spelled in another case in the resource', () => {
    const shouting = {
      USERNAME: 'bjensen',
      Emails: [{ VALUE: 'b@example.com', Type: 'work' }],
      'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { Department: 'Sales' },
    };
    expect(matches('userName eq "bjensen"', shouting)).toBe(true);
    expect(matches('emails[type eq "work"].value eq "b@example.com"', shouting)).toBe(true);
    expect(matches('department eq "sales"', shouting)).toBe(true);
  });

  describe('ne, null and pr on missing values', () => {
    const sparse = { userName: 'x', title: '', nickName: null, emails: [], ims: [{ type: 'aim' }], name: { givenName: '' } };

    it.each<[string, boolean]>([
      ['title pr', false],
      ['nickName pr', false],
      ['emails pr', false],
      ['ims pr', true],
      ['ims.value pr', false],
      ['name pr', false],
      ['displayName pr', false],
      // ne is not (eq): a missing attribute is "not equal"
      ['displayName ne "x"', true],
      ['displayName eq "x"', false],
      ['emails ne "a@example.com"', true],
      ['emails.value ne "a@example.com"', true],
      // ordering and substring operators never match a missing value
      ['displayName co ""', false],
      ['displayName gt "a"', false],
      ['displayName lt "z"', false],
      // null compares with presence
      ['displayName eq null', true],
      ['title eq null', true],
      ['userName eq null', false],
      ['userName ne null', true],
      ['displayName ne null', false],
    ])('%s => %s', (filter, expected) => {
      expect(matches(filter, sparse)).toBe(expected);
    });

    it('makes ne on a multi-valued attribute mean "no value equals"', () => {
      expect(matches('emails.type ne "home"')).toBe(false);
      expect(matches('emails.type ne "other"')).toBe(true);
      expect(matches('not (emails.type eq "home")')).toBe(matches('emails.type ne "home"'));
    });
  });

  it('compares numbers numerically', () => {
    const acme: SchemaDef = {
      id: 'urn:acme:scim:User',
      name: 'Acme',
      description: '',
      attributes: [
        { name: 'badge', type: 'integer', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
        { name: 'score', type: 'decimal', multiValued: true, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
      ],
    };
    const schema = userSchema([acme]);
    const resource = { 'urn:acme:scim:User': { badge: 9, score: [1.5, 20.25] } };
    const m = (f: string) => matchFilter(parseFilter(f), resource, schema);
    expect(m('badge lt 10')).toBe(true); // "9" > "10" as text
    expect(m('badge eq 9.0')).toBe(true);
    expect(m('badge ge 1e1')).toBe(false);
    expect(m('score gt 20')).toBe(true);
    expect(m('score lt 1')).toBe(false);
    expect(m('badge ne 9')).toBe(false);
  });

  it('matches Groups by their members', () => {
    const groups = groupSchema();
    const group = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
      displayName: 'Tour Guides',
      members: [
        { value: '2819c223-7f76-453a-919d-413861904646', $ref: 'https://example.com/v2/Users/2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen' },
        { value: '902c246b-6245-4190-8e05-00816be7344a', $ref: 'https://example.com/v2/Users/902c246b-6245-4190-8e05-00816be7344a', display: 'Mandy Pepperidge' },
      ],
    };
    expect(matchFilter(parseFilter('members[value eq "902c246b-6245-4190-8e05-00816be7344a"]'), group, groups)).toBe(true);
    expect(matchFilter(parseFilter('members eq "2819c223-7f76-453a-919d-413861904646"'), group, groups)).toBe(true);
    expect(matchFilter(parseFilter('displayName eq "tour guides"'), group, groups)).toBe(true);
    expect(matchFilter(parseFilter('members.display co "Smith"'), group, groups)).toBe(false);
  });
});

describe('matchValueFilter', () => {
  const emails = users.attributeFor('urn:ietf:params:scim:schemas:core:2.0:User', 'emails')!;
  const members = groupSchema().attributeFor('urn:ietf:params:scim:schemas:core:2.0:Group', 'members')!;

  it('selects the elements of a multi-valued attribute that a PATCH path filter targets', () => {
    const f = parseFilter('type eq "work"');
    expect(BJENSEN.emails.filter((e) => matchValueFilter(f, e, emails, users))).toEqual([BJENSEN.emails[0]]);
    const g = parseFilter('not (primary eq true) and value ew ".org"');
    expect(BJENSEN.emails.filter((e) => matchValueFilter(g, e, emails, users))).toEqual([BJENSEN.emails[1]]);
  });

  it('matches a member by value, case-insensitively as members.value is caseExact false', () => {
    const f = parseFilter('value eq "2819C223-7F76-453A-919D-413861904646"');
    expect(matchValueFilter(f, { value: '2819c223-7f76-453a-919d-413861904646' }, members, groupSchema())).toBe(true);
    expect(matchValueFilter(f, { value: 'other' }, members, groupSchema())).toBe(false);
  });

  it('never matches an element that is not an object', () => {
    expect(matchValueFilter(parseFilter('value pr'), 'bjensen@example.com', emails, users)).toBe(false);
    expect(matchValueFilter(parseFilter('value pr'), null, emails, users)).toBe(false);
  });

  it('refuses inner filters that name unknown sub-attributes', () => {
    const e = failure(() => matchValueFilter(parseFilter('kind eq "work"'), BJENSEN.emails[0], emails, users));
    expect(e).toMatchObject({ status: 400, scimType: 'invalidFilter', detail: 'Unknown sub-attribute "kind" of "emails"' });
  });
});

describe('validateFilter', () => {
  it.each([
    'userName eq "x"',
    'emails co "example.com"',
    'emails[type eq "work" and primary eq true]',
    'members.value pr',
    'meta.created gt "2011-05-13T04:42:34"',
    'active eq null',
    'active ne false',
    'x509Certificates.value eq "MIID"',
    'name pr',
    'manager pr',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"',
  ])('accepts %s', (filter) => {
    const schema = filter.startsWith('members') ? groupSchema() : users;
    expect(() => validateFilter(parseFilter(filter), schema)).not.toThrow();
  });

  it.each([
    ['nope eq "x"', 'Unknown attribute "nope" for resource type User'],
    ['name.nope eq "x"', 'Unknown sub-attribute "nope" of "name"'],
    ['userName.x eq "x"', '"userName" has no sub-attributes, so "userName.x" is unknown'],
    ['urn:acme:Unknown:title eq "x"', 'Unknown schema "urn:acme:Unknown" in "urn:acme:Unknown:title" for resource type User'],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "x"', 'Unknown attribute "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName"'],
    ['emails[kind eq "work"]', 'Unknown sub-attribute "kind" of "emails"'],
    ['emails[type eq "work"].nope eq "x"', 'Unknown sub-attribute "nope" of "emails"'],
    ['emails[value.x eq "a"]', '"value.x" inside "emails[...]" must be a sub-attribute name of "emails"'],
    ['userName[value eq "a"]', '"userName[...]" needs a complex attribute, but "userName" is a string'],
    ['members eq "x"', 'Unknown attribute "members" for resource type User'],
    ['active gt true', 'Operator "gt" is not defined for "active", which is a Boolean'],
    ['active co true', 'Operator "co" is not defined for "active", which is a Boolean'],
    ['emails.primary le false', 'Operator "le" is not defined for "emails.primary", which is a Boolean'],
    ['emails[primary lt true]', 'Operator "lt" is not defined for "emails.primary", which is a Boolean'],
    ['active eq "true"', '"active" is a Boolean; compare it with true or false, not "true"'],
    ['x509Certificates.value gt "A"', 'Operator "gt" is not defined for "x509Certificates.value", which is binary'],
    ['name eq "Barbara"', 'Cannot compare the complex attribute "name" with "eq": name one of its sub-attributes, e.g. "name.formatted"'],
    ['addresses co "Hollywood"', 'Cannot compare the complex attribute "addresses" with "co"'],
    ['manager eq "x"', 'Cannot compare the complex attribute "manager" with "eq"'],
    ['meta.lastModified gt "yesterday"', '"meta.lastModified" is a dateTime; compare it with a quoted xsd:dateTime such as "2011-05-13T04:42:34Z", not "yesterday"'],
    ['meta.lastModified gt 1305261754', '"meta.lastModified" is a dateTime'],
    ['meta.created co "2011"', 'Operator "co" applies to strings; "meta.created" is a dateTime'],
    ['userName eq 42', '"userName" is a string; compare it with a string in double quotes, not 42'],
    ['userName gt null', 'Operator "gt" cannot compare "userName" with null; only eq and ne can'],
    ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User pr', 'names a schema, not an attribute'],
  ])('refuses %s', (filter, message) => {
    let parsed;
    try {
      parsed = parseFilter(filter);
    } catch {
      // A bare schema URN is already refused by the parser, with the same wording.
      parsed = undefined;
    }
    const e = failure(() => (parsed ? validateFilter(parsed, users) : parseFilter(filter)));
    expect(e).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    expect(e.detail).toContain(message);
  });

  it('refuses the same problems when matching, whatever the resource holds', () => {
    expect(() => matches('nope pr', {})).toThrow('Unknown attribute "nope"');
    expect(() => matches('userName eq "x" or active gt true', { userName: 'x' })).toThrow('Operator "gt"');
  });

  it('refuses a bare extension URN split without schema knowledge', () => {
    const f = parseFilter('urn:acme:scim:ext:User pr');
    const e = failure(() => validateFilter(f, userSchema([{ id: 'urn:acme:scim:ext:User', name: 'x', description: '', attributes: [] }])));
    expect(e.detail).toBe('"urn:acme:scim:ext:User" names a schema, not an attribute');
  });

  it('checks value filters relative to their attribute', () => {
    const emails = users.attributeFor('urn:ietf:params:scim:schemas:core:2.0:User', 'emails')!;
    const userName = users.attributeFor('urn:ietf:params:scim:schemas:core:2.0:User', 'userName')!;
    expect(() => validateValueFilter(parseFilter('type eq "work"'), emails, users)).not.toThrow();
    expect(() => validateValueFilter(parseFilter('emails[type eq "work"]'), emails, users)).toThrow('"emails[...]" cannot appear inside "emails[...]"');
    expect(() => validateValueFilter(parseFilter('value pr'), userName, users)).toThrow('needs a complex attribute');
  });
});

describe('isPresent', () => {
  it.each<[unknown, boolean]>([
    [undefined, false],
    [null, false],
    ['', false],
    [[], false],
    [[null, ''], false],
    [{}, false],
    [{ a: null }, false],
    [0, true],
    [false, true],
    [' ', true],
    [[''], false],
    [['x'], true],
    [{ a: 'x' }, true],
  ])('%j => %s', (value, expected) => {
    expect(isPresent(value)).toBe(expected);
  });
});
