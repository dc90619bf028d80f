import { ScimError } from '../errors';
import { parseFilter } from '../filter/parser';
import { ENTERPRISE_USER_SCHEMA } from '../schema/core-schemas';
import { groupSchema, userSchema } from '../schema/resource-schema';
import type { SchemaDef } from '../schema/types';
import { applyPatch, eqTemplate, type PatchOptions } from './patch-engine';
import { PATCH_OP_SCHEMA, type PatchOperation } from './patch-request';
import type { JsonObject } from './json';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const users = userSchema();
const groups = groupSchema();

const BABS_ID = '2819c223-7f76-453a-919d-413861904646';
const JAMES_ID = '08e1d05d-121c-4561-8b96-473d93df9210';
const BABS = { display: 'Babs Jensen', $ref: `https://example.com/v2/Users/${BABS_ID}`, value: BABS_ID };
const JAMES = { display: 'James Smith', $ref: `https://example.com/v2/Users/${JAMES_ID}`, value: JAMES_ID };

/** RFC 7643 section 8.3 (the 8.2 user with the Enterprise extension), trimmed of x509Certificates. */
function bjensen(): JsonObject {
  return {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    id: BABS_ID,
    externalId: '701984',
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane', honorificPrefix: 'Ms.', honorificSuffix: 'III' },
    displayName: 'Babs Jensen',
    nickName: 'Babs',
    profileUrl: 'https://login.example.com/bjensen',
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    addresses: [
      { streetAddress: '100 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', formatted: '100 Universal City Plaza\nHollywood, CA 91608 USA', type: 'work', primary: true },
      { streetAddress: '456 Hollywood Blvd', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA', formatted: '456 Hollywood Blvd\nHollywood, CA 91608 USA', type: 'home' },
    ],
    phoneNumbers: [
      { value: '555-555-5555', type: 'work' },
      { value: '555-555-4444', type: 'mobile' },
    ],
    userType: 'Employee',
    title: 'Tour Guide',
    preferredLanguage: 'en-US',
    locale: 'en-US',
    timezone: 'America/Los_Angeles',
    active: true,
    groups: [{ value: 'e9e30dba-f08f-4109-8486-d5c6a331660a', $ref: 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a', display: 'Tour Guides' }],
    [ENTERPRISE_USER_SCHEMA]: {
      employeeNumber: '701984',
      costCenter: '4130',
      organization: 'Universal Studios',
      division: 'Theme Park',
      department: 'Tour Operations',
      manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
    },
    meta: {
      resourceType: 'User',
      created: '2010-01-23T04:56:22Z',
      lastModified: '2011-05-13T04:42:34Z',
      version: 'W/"3694e05e9dff591"',
      location: `https://example.com/v2/Users/${BABS_ID}`,
    },
  };
}

function tourGuides(members?: object[]): JsonObject {
  return {
    schemas: [GROUP_SCHEMA],
    id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
    displayName: 'Tour Guides',
    ...(members ? { members } : {}),
    meta: { resourceType: 'Group', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z' },
  };
}

function body(...ops: unknown[]): { schemas: string[]; Operations: unknown[] } {
  return { schemas: [PATCH_OP_SCHEMA], Operations: ops };
}

function patchUser(ops: object[], resource: JsonObject = bjensen(), options: PatchOptions = {}) {
  return applyPatch(resource, body(...ops), users, options);
}

function refusal(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

/** The resource after the patch, minus what the case does not look at. */
type Check = (r: JsonObject) => void;

describe('applyPatch: RFC 7644 3.5.2.1 add examples', () => {
  it('adds a member to a group ("op":"add","path":"members")', () => {
    const r = applyPatch(tourGuides(), body({ op: 'add', path: 'members', value: [BABS] }), groups);
    expect(r.resource.members).toEqual([BABS]);
    expect(r.changed).toBe(true);
  });

  it('adds attributes without a path: emails appended, "nickname" written as nickName', () => {
    const r = patchUser([{ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }], {
      ...bjensen(),
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
      nickName: undefined,
    });
    expect(r.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
    expect(r.resource.nickName).toBe('Babs');
    expect(r.resource).not.toHaveProperty('nickname');
  });

  it('changes nothing when the value is already there ("no changes SHOULD be made")', () => {
    const r = patchUser([{ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], nickname: 'Babs' } }]);
    expect(r.changed).toBe(false);
    expect(r.resource).toEqual(bjensen());
  });
});

describe('applyPatch: RFC 7644 3.5.2.2 remove examples', () => {
  const members = () => tourGuides([BABS, JAMES]);
  const cases: [string, object[], Check][] = [
    ['removes a single member', [{ op: 'remove', path: `members[value eq "${BABS_ID}"]` }], (g) => expect(g.members).toEqual([JAMES])],
    ['removes all members', [{ op: 'remove', path: 'members' }], (g) => expect(g).not.toHaveProperty('members')],
    [
      'removes a member and adds another',
      [
        { op: 'remove', path: `members[value eq "${BABS_ID}"]` },
        { op: 'add', path: 'members', value: [{ display: 'Ann', value: 'ann-id' }] },
      ],
      (g) => expect(g.members).toEqual([JAMES, { display: 'Ann', value: 'ann-id' }]),
    ],
    [
      'replaces all members through remove then add',
      [
        { op: 'remove', path: 'members' },
        { op: 'add', path: 'members', value: [BABS, JAMES] },
      ],
      (g) => expect(g.members).toEqual([BABS, JAMES]),
    ],
  ];
  it.each(cases)('%s', (_, ops, check) => check(applyPatch(members(), body(...ops), groups).resource));

  it('removes the values matched by a multi-condition filter', () => {
    const r = patchUser([{ op: 'remove', path: 'emails[type eq "work" and value ew "example.com"]' }]);
    expect(r.resource.emails).toEqual([{ value: 'babs@jensen.org', type: 'home' }]);
  });

  it('leaves the attribute unassigned when the last value goes', () => {
    const r = patchUser([{ op: 'remove', path: 'emails[type eq "work"]' }, { op: 'remove', path: 'emails[type eq "home"]' }]);
    expect(r.resource).not.toHaveProperty('emails');
  });
});

describe('applyPatch: RFC 7644 3.5.2.3 replace examples', () => {
  it('replaces all members of a group', () => {
    const r = applyPatch(tourGuides([{ value: 'old-id' }]), body({ op: 'replace', path: 'members', value: [BABS, JAMES] }), groups);
    expect(r.resource.members).toEqual([BABS, JAMES]);
  });

  it('replaces the work address', () => {
    const work = {
      type: 'work',
      streetAddress: '911 Universal City Plaza',
      locality: 'Hollywood',
      region: 'CA',
      postalCode: '91608',
      country: 'US',
      formatted: '911 Universal City Plaza\nHollywood, CA 91608 US',
      primary: true,
    };
    const r = patchUser([{ op: 'replace', path: 'addresses[type eq "work"]', value: work }]);
    expect((r.resource.addresses as object[])[0]).toEqual(work);
    expect((r.resource.addresses as object[])[1]).toEqual(bjensen().addresses && (bjensen().addresses as object[])[1]);
  });

  it("changes the work address's streetAddress", () => {
    const r = patchUser([{ op: 'replace', path: 'addresses[type eq "work"].streetAddress', value: '1010 Broadway Ave' }]);
    const [work, home] = r.resource.addresses as JsonObject[];
    expect(work).toEqual({ ...(bjensen().addresses as JsonObject[])[0], streetAddress: '1010 Broadway Ave' });
    expect(home.streetAddress).toBe('456 Hollywood Blvd');
  });

  it('replaces several attributes without a path ("nickname" and emails)', () => {
    const emails = [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ];
    const r = patchUser([{ op: 'replace', value: { emails, nickname: 'Babsy' } }], { ...bjensen(), emails: [{ value: 'x@y.z' }] });
    expect(r.resource.emails).toEqual(emails);
    expect(r.resource.nickName).toBe('Babsy');
  });
});

describe('applyPatch: attribute kinds', () => {
  const cases: [string, object[], Check][] = [
    ['replaces a simple attribute', [{ op: 'replace', path: 'title', value: 'Chief' }], (u) => expect(u.title).toBe('Chief')],
    ['add on a single-valued attribute replaces it', [{ op: 'add', path: 'title', value: 'Chief' }], (u) => expect(u.title).toBe('Chief')],
    ['is case-insensitive and writes canonical names', [{ op: 'replace', path: 'DISPLAYNAME', value: 'B' }], (u) => {
      expect(u.displayName).toBe('B');
      expect(u).not.toHaveProperty('DISPLAYNAME');
    }],
    ['replaces a sub-attribute', [{ op: 'replace', path: 'name.familyName', value: 'Smith' }], (u) =>
      expect(u.name).toEqual({ ...(bjensen().name as object), familyName: 'Smith' })],
    ['add merges into a complex attribute', [{ op: 'add', path: 'name', value: { givenName: 'Babs', honorificSuffix: null } }], (u) => {
      expect(u.name).toMatchObject({ givenName: 'Babs', familyName: 'Jensen' });
      expect(u.name).not.toHaveProperty('honorificSuffix');
    }],
    ['replace merges into a complex attribute (3.5.2.3)', [{ op: 'replace', path: 'name', value: { givenName: 'Babs' } }], (u) =>
      expect(u.name).toEqual({ ...(bjensen().name as object), givenName: 'Babs' })],
    ['creates a complex attribute from a sub-attribute path', [{ op: 'remove', path: 'name' }, { op: 'add', path: 'name.givenName', value: 'B' }], (u) =>
      expect(u.name).toEqual({ givenName: 'B' })],
    ['null as a replace value removes', [{ op: 'replace', path: 'title', value: null }], (u) => expect(u).not.toHaveProperty('title')],
    ['removes a sub-attribute', [{ op: 'remove', path: 'name.middleName' }], (u) => expect(u.name).not.toHaveProperty('middleName')],
    ['removing the last sub-attribute unassigns the attribute', [{ op: 'replace', path: 'name', value: null }, { op: 'add', path: 'name.givenName', value: 'x' }, { op: 'remove', path: 'name.givenName' }], (u) =>
      expect(u).not.toHaveProperty('name')],
    ['removing an absent attribute is a no-op', [{ op: 'remove', path: 'nickName' }, { op: 'remove', path: 'nickName' }], (u) => expect(u).not.toHaveProperty('nickName')],
    ['add appends to a multi-valued attribute', [{ op: 'add', path: 'phoneNumbers', value: [{ value: '555-1', type: 'fax' }] }], (u) =>
      expect(u.phoneNumbers).toHaveLength(3)],
    ['add wraps a single object for a multi-valued attribute (OneLogin)', [{ op: 'add', path: 'phoneNumbers', value: { value: '555-1', type: 'fax' } }], (u) =>
      expect((u.phoneNumbers as object[])[2]).toEqual({ value: '555-1', type: 'fax' })],
    ['add de-duplicates identical values', [{ op: 'add', path: 'phoneNumbers', value: [{ value: '555-555-5555', type: 'work' }] }], (u) =>
      expect(u.phoneNumbers).toEqual(bjensen().phoneNumbers)],
    ['replace replaces the whole set', [{ op: 'replace', path: 'phoneNumbers', value: [{ value: '1' }] }], (u) => expect(u.phoneNumbers).toEqual([{ value: '1' }])],
    ['replace with [] unassigns', [{ op: 'replace', path: 'phoneNumbers', value: [] }], (u) => expect(u).not.toHaveProperty('phoneNumbers')],
    ['a sub-attribute path without filter sets every value', [{ op: 'replace', path: 'phoneNumbers.type', value: 'other' }], (u) =>
      expect((u.phoneNumbers as JsonObject[]).map((p) => p.type)).toEqual(['other', 'other'])],
    ['a sub-attribute path without filter creates a first value', [{ op: 'replace', path: 'ims.value', value: 'handle' }], (u) => expect(u.ims).toEqual([{ value: 'handle' }])],
    ['replaces a filtered sub-attribute', [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'b@j.org' }], (u) =>
      expect((u.emails as JsonObject[])[1]).toEqual({ value: 'b@j.org', type: 'home' })],
    ['add on a filtered value merges', [{ op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } }], (u) =>
      expect((u.emails as JsonObject[])[1]).toEqual({ value: 'babs@jensen.org', type: 'home', display: 'Home' })],
    ['replace keeps the filter eq sub-attributes the value omits', [{ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'n@j.org' } }], (u) =>
      expect((u.emails as JsonObject[])[1]).toEqual({ type: 'home', value: 'n@j.org' })],
    ['removes a filtered sub-attribute', [{ op: 'remove', path: 'addresses[type eq "home"].postalCode' }], (u) =>
      expect((u.addresses as JsonObject[])[1]).not.toHaveProperty('postalCode')],
    ['matches filters case-insensitively on caseExact=false', [{ op: 'remove', path: 'emails[TYPE eq "WORK"]' }], (u) => expect(u.emails).toHaveLength(1)],
    ['removes values given in a value list', [{ op: 'remove', path: 'emails', value: [{ value: 'BABS@jensen.org' }] }], (u) =>
      expect(u.emails).toEqual([(bjensen().emails as object[])[0]])],
    ['wraps a bare id for a complex attribute with "value" (Entra manager)', [{ op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: 'boss-id' }], (u) =>
      expect((u[ENTERPRISE_USER_SCHEMA] as JsonObject).manager).toEqual({ value: 'boss-id', $ref: '../Users/26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' })],
    ['drops a "$ref": null sub-attribute of a new value', [{ op: 'add', path: 'photos', value: { value: 'https://p/x', $ref: null } }], (u) =>
      expect(u.photos).toEqual([{ value: 'https://p/x' }])],
  ];
  it.each(cases)('%s', (_, ops, check) => check(patchUser(ops).resource));

  it('adds a value to an immutable attribute that had none, but does not change it', () => {
    const ext: SchemaDef = {
      id: 'urn:example:params:scim:schemas:extension:badge:2.0:User',
      name: 'Badge',
      description: '',
      attributes: [
        { name: 'badge', type: 'integer', multiValued: false, description: '', required: false, caseExact: false, mutability: 'immutable', returned: 'default', uniqueness: 'none' },
      ],
    };
    const schema = userSchema([ext]);
    const set = applyPatch(bjensen(), body({ op: 'add', path: 'badge', value: 7 }), schema).resource;
    expect(set[ext.id]).toEqual({ badge: 7 });
    expect(set.schemas).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ext.id]);
    expect(applyPatch(set, body({ op: 'replace', path: 'badge', value: 7 }), schema).changed).toBe(false);
    expect(refusal(() => applyPatch(set, body({ op: 'replace', path: 'badge', value: 8 }), schema)).scimType).toBe('mutability');
    expect(refusal(() => applyPatch(set, body({ op: 'remove', path: 'badge' }), schema)).scimType).toBe('mutability');
  });
});

describe('applyPatch: extensions', () => {
  it('writes a fully qualified attribute path', () => {
    const r = patchUser([{ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:employeeNumber`, value: '1' }]);
    expect((r.resource[ENTERPRISE_USER_SCHEMA] as JsonObject).employeeNumber).toBe('1');
  });

  it('writes a fully qualified sub-attribute path', () => {
    const r = patchUser([{ op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager.value`, value: 'm' }]);
    expect((r.resource[ENTERPRISE_USER_SCHEMA] as JsonObject).manager).toMatchObject({ value: 'm', displayName: 'John Smith' });
  });

  it('resolves an unqualified extension attribute', () => {
    const r = patchUser([{ op: 'replace', path: 'department', value: 'Rides' }]);
    expect((r.resource[ENTERPRISE_USER_SCHEMA] as JsonObject).department).toBe('Rides');
    expect(r.resource).not.toHaveProperty('department');
  });

  it('adds the extension and its schema URN when the first attribute arrives', () => {
    const plain = { schemas: [USER_SCHEMA], id: 'u1', userName: 'u' };
    const r = patchUser([{ op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:costCenter', value: '42' }], plain);
    expect(r.resource).toEqual({ schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], id: 'u1', userName: 'u', [ENTERPRISE_USER_SCHEMA]: { costCenter: '42' } });
  });

  it('takes a whole-extension path with an object value', () => {
    const r = patchUser([{ op: 'add', path: ENTERPRISE_USER_SCHEMA, value: { division: 'D', 'manager.value': 'm2' } }]);
    expect(r.resource[ENTERPRISE_USER_SCHEMA]).toMatchObject({ division: 'D', manager: { value: 'm2' }, costCenter: '4130' });
  });

  it('takes an extension URN key in a path-less value', () => {
    const r = patchUser([{ op: 'replace', value: { [ENTERPRISE_USER_SCHEMA]: { department: 'X' } } }]);
    expect((r.resource[ENTERPRISE_USER_SCHEMA] as JsonObject).department).toBe('X');
  });

  it('removes a whole extension and its schema URN', () => {
    const r = patchUser([{ op: 'remove', path: ENTERPRISE_USER_SCHEMA }]);
    expect(r.resource).not.toHaveProperty([ENTERPRISE_USER_SCHEMA]);
    expect(r.resource.schemas).toEqual([USER_SCHEMA]);
  });

  it('drops the extension and its URN when its last attribute goes', () => {
    const one = { schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA], userName: 'u', [ENTERPRISE_USER_SCHEMA]: { department: 'd' } };
    const r = patchUser([{ op: 'remove', path: 'department' }], one);
    expect(r.resource).toEqual({ schemas: [USER_SCHEMA], userName: 'u' });
  });
});

describe('applyPatch: more shapes', () => {
  it('takes the core schema URN as a path-less key holding core attributes', () => {
    const r = patchUser([{ op: 'replace', value: { [USER_SCHEMA]: { title: 'T', 'name.givenName': 'G' } } }]);
    expect([r.resource.title, (r.resource.name as JsonObject).givenName]).toEqual(['T', 'G']);
  });

  it('wraps a bare string as { value } for a multi-valued complex attribute', () => {
    const r = patchUser([{ op: 'add', path: 'emails', value: 'third@example.com' }]);
    expect((r.resource.emails as object[])[2]).toEqual({ value: 'third@example.com' });
  });

  it('skips an unknown top-level attribute path with a warning (lenient)', () => {
    const r = patchUser([{ op: 'replace', path: 'shoeSize', value: 4 }, { op: 'replace', path: 'active', value: false }], bjensen(), { lenientUnknownAttributes: true });
    expect(r.resource.active).toBe(false);
    expect(r.warnings).toEqual(['Operation 1 (replace "shoeSize"): ignored: Unknown attribute "shoeSize" for resource type User']);
  });

  it('skips an unknown attribute in a members filter with a warning (lenient, external)', () => {
    const r = applyPatch(tourGuides(), body({ op: 'remove', path: 'members[kind eq "x"]' }, { op: 'remove', path: 'members[value eq "a"]' }), groups, {
      external: ['members'],
      lenientUnknownAttributes: true,
    });
    expect(r.memberOps).toEqual([{ kind: 'remove', values: ['a'] }]);
    expect(r.warnings).toHaveLength(1);
  });

  it('replaces a key spelled differently in the stored resource with the canonical one', () => {
    const { title: _t, ...rest } = bjensen();
    const r = patchUser([{ op: 'replace', path: 'title', value: 'New' }], { ...rest, TITLE: 'Old' });
    expect(r.resource.title).toBe('New');
    expect(r.resource).not.toHaveProperty('TITLE');
  });

  it('accepts a frozen input', () => {
    const deepFreeze = (o: unknown): unknown => {
      if (o && typeof o === 'object') {
        Object.freeze(o);
        Object.values(o).forEach(deepFreeze);
      }
      return o;
    };
    const r = patchUser([{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }], deepFreeze(bjensen()) as JsonObject);
    expect(r.changed).toBe(true);
  });
});

describe('applyPatch: IdP request shapes', () => {
  it("applies Entra ID's path-less replace with dotted and URN keys", () => {
    const r = patchUser([
      { op: 'replace', value: { 'name.givenName': 'Barb', [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: '1', active: false } },
    ]);
    expect((r.resource.name as JsonObject).givenName).toBe('Barb');
    expect((r.resource.name as JsonObject).familyName).toBe('Jensen');
    expect((r.resource[ENTERPRISE_USER_SCHEMA] as JsonObject).employeeNumber).toBe('1');
    expect(r.resource.active).toBe(false);
  });

  it("applies Okta's deactivation", () => {
    const r = patchUser([{ op: 'replace', value: { active: false } }]);
    expect(r.resource).toEqual({ ...bjensen(), active: false });
    expect(r.changed).toBe(true);
  });

  it('creates a value from an eq filter that matches nothing (Entra ID leniency)', () => {
    const noAddresses = { ...bjensen(), addresses: undefined };
    const r = patchUser([{ op: 'add', path: 'addresses[type eq "work"].locality', value: 'Seattle' }], noAddresses);
    expect(r.resource.addresses).toEqual([{ type: 'work', locality: 'Seattle' }]);
  });

  it("sets Entra ID's work email value on the existing work email", () => {
    const r = patchUser([{ op: 'add', path: 'emails[type eq "work"].value', value: 'new@example.com' }]);
    expect((r.resource.emails as JsonObject[])[0]).toEqual({ value: 'new@example.com', type: 'work', primary: true });
  });

  it('creates a value from a conjunction of eq comparisons, also for replace', () => {
    const r = patchUser([{ op: 'replace', path: 'phoneNumbers[type eq "fax" and primary eq true]', value: { value: '555-0' } }]);
    expect(r.resource.phoneNumbers).toEqual([...(bjensen().phoneNumbers as object[]), { type: 'fax', primary: true, value: '555-0' }]);
  });

  it('skips an unknown sub-attribute with a warning and still deactivates (lenient)', () => {
    const r = patchUser(
      [
        { op: 'replace', path: 'name.nickname', value: 'x' },
        { op: 'replace', value: { active: false, 'urn:ietf:params:scim:schemas:extension:custom:2.0:User:costCode': 'c', name: { givenName: 'B', pronoun: 'she' } } },
        { op: 'add', path: 'emails[kind eq "work"].value', value: 'x@y' },
      ],
      bjensen(),
      { lenientUnknownAttributes: true },
    );
    expect(r.resource.active).toBe(false);
    expect((r.resource.name as JsonObject).givenName).toBe('B');
    expect(r.resource.name).not.toHaveProperty('pronoun');
    expect(r.warnings).toHaveLength(4);
    expect(r.warnings[0]).toMatch(/^Operation 1 .*Unknown sub-attribute "nickname" of "name"/);
    expect(r.warnings[1]).toMatch(/custom:2\.0:User:costCode/);
    expect(r.warnings[2]).toMatch(/"pronoun"/);
    expect(r.warnings[3]).toMatch(/^Operation 3 .*"kind"/);
  });

  it('refuses the same request without the lenient option, and applies nothing', () => {
    const e = refusal(() => patchUser([{ op: 'replace', value: { active: false } }, { op: 'replace', path: 'name.nickname', value: 'x' }]));
    expect(e.scimType).toBe('invalidPath');
    expect(e.detail).toMatch(/^Operation 2 \(replace "name\.nickname"\): Unknown sub-attribute "nickname" of "name"/);
  });
});

describe('applyPatch: primary', () => {
  it('clears primary on the other values when a new one is primary', () => {
    const r = patchUser([{ op: 'add', path: 'emails', value: { value: 'n@x.org', type: 'other', primary: true } }]);
    expect((r.resource.emails as JsonObject[]).map((e) => e.primary)).toEqual([false, undefined, true]);
  });

  it('clears primary when a filtered sub-attribute makes another value primary', () => {
    const r = patchUser([{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }]);
    expect((r.resource.emails as JsonObject[]).map((e) => e.primary)).toEqual([false, true]);
  });

  it('clears primary on the other addresses when a replaced value is primary', () => {
    const r = patchUser([{ op: 'replace', path: 'addresses[type eq "home"]', value: { type: 'home', locality: 'LA', primary: true } }]);
    expect((r.resource.addresses as JsonObject[]).map((a) => a.primary)).toEqual([false, true]);
  });

  it.each([
    ['replace', [{ value: 'a', primary: true }, { value: 'b', primary: true }]],
    ['add', [{ value: 'a', primary: true }, { value: 'b', primary: true }]],
  ])('refuses two primary values in one %s with invalidValue', (op, value) => {
    expect(refusal(() => patchUser([{ op, path: 'emails', value }])).scimType).toBe('invalidValue');
  });

  it('refuses making every value primary through a sub-attribute path', () => {
    expect(refusal(() => patchUser([{ op: 'replace', path: 'emails.primary', value: true }])).scimType).toBe('invalidValue');
  });
});

describe('applyPatch: mutability, required and read-only', () => {
  it.each([
    ['remove userName (required)', { op: 'remove', path: 'userName' }],
    ['replace userName with null', { op: 'replace', path: 'userName', value: null }],
    ['replace id', { op: 'replace', path: 'id', value: 'other' }],
    ['remove id', { op: 'remove', path: 'id' }],
    ['replace meta.lastModified', { op: 'replace', path: 'meta.lastModified', value: '2020-01-01T00:00:00Z' }],
    ['path-less meta with other content', { op: 'replace', value: { meta: { version: 'W/"x"' } } }],
    ['add to groups (read-only)', { op: 'add', path: 'groups', value: [{ value: 'g' }] }],
    ['remove schemas', { op: 'remove', path: 'schemas' }],
    ['replace the manager displayName (read-only)', { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager.displayName`, value: 'X' }],
  ])('%s: 400 mutability', (_, op) => {
    const e = refusal(() => patchUser([op]));
    expect([e.status, e.scimType]).toEqual([400, 'mutability']);
  });

  it('tolerates path-less id, meta and schemas whose content is unchanged', () => {
    const u = bjensen();
    const r = patchUser([{ op: 'replace', value: { id: u.id, schemas: [ENTERPRISE_USER_SCHEMA, USER_SCHEMA], meta: { resourceType: 'User' }, title: 'T' } }]);
    expect(r.resource).toEqual({ ...u, title: 'T' });
  });

  it('refuses removing the displayName of a group (required)', () => {
    expect(refusal(() => applyPatch(tourGuides(), body({ op: 'remove', path: 'displayName' }), groups)).scimType).toBe('mutability');
  });
});

describe('applyPatch: errors', () => {
  const cases: [string, unknown, number, string][] = [
    ['a body that is not an object', [], 400, 'invalidSyntax'],
    ['missing PatchOp schema', { schemas: [USER_SCHEMA], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 400, 'invalidSyntax'],
    ['Operations missing', { schemas: [PATCH_OP_SCHEMA] }, 400, 'invalidSyntax'],
    ['Operations empty', body(), 400, 'invalidSyntax'],
    ['an operation that is not an object', body('add'), 400, 'invalidSyntax'],
    ['an unknown op', body({ op: 'move', path: 'title', value: 'x' }), 400, 'invalidSyntax'],
    ['a capitalised op (normalised elsewhere)', body({ op: 'Replace', path: 'title', value: 'x' }), 400, 'invalidSyntax'],
    ['remove without path', body({ op: 'remove' }), 400, 'noTarget'],
    ['add without value', body({ op: 'add', path: 'title' }), 400, 'invalidValue'],
    ['a path that is not a string', body({ op: 'add', path: 3, value: 'x' }), 400, 'invalidPath'],
    ['a malformed path', body({ op: 'add', path: 'emails[type eq', value: 'x' }), 400, 'invalidPath'],
    ['an unknown attribute', body({ op: 'add', path: 'shoeSize', value: 'x' }), 400, 'invalidPath'],
    ['an unknown sub-attribute', body({ op: 'add', path: 'name.nick', value: 'x' }), 400, 'invalidPath'],
    ['an unknown sub-attribute in a value', body({ op: 'add', path: 'name', value: { nick: 'x' } }), 400, 'invalidPath'],
    ['an unknown key in a path-less value', body({ op: 'replace', value: { shoeSize: 4 } }), 400, 'invalidPath'],
    ['an unknown schema URN key', body({ op: 'replace', value: { 'urn:example:custom:2.0:User': { a: 1 } } }), 400, 'invalidPath'],
    ['an unknown attribute in a value filter', body({ op: 'remove', path: 'emails[kind eq "work"]' }), 400, 'invalidFilter'],
    ['a mistyped comparison in a value filter', body({ op: 'remove', path: 'emails[primary eq "yes"]' }), 400, 'invalidFilter'],
    ['a filter on a single-valued attribute', body({ op: 'replace', path: 'name[givenName eq "B"]', value: {} }), 400, 'invalidPath'],
    ['a replace filter matching nothing (not eq)', body({ op: 'replace', path: 'emails[value co "nowhere"].type', value: 'x' }), 400, 'noTarget'],
    ['an add filter matching nothing (or)', body({ op: 'add', path: 'emails[type eq "a" or type eq "b"].value', value: 'x' }), 400, 'noTarget'],
    ['a path-less value that is not an object', body({ op: 'replace', value: 'x' }), 400, 'invalidValue'],
    ['a string for a Boolean', body({ op: 'replace', path: 'active', value: 'False' }), 400, 'invalidValue'],
    ['a number for a string', body({ op: 'replace', path: 'title', value: 4 }), 400, 'invalidValue'],
    ['an array for a single-valued attribute', body({ op: 'replace', path: 'title', value: ['a'] }), 400, 'invalidValue'],
    ['a string for a complex attribute without "value"', body({ op: 'replace', path: 'name', value: 'Babs' }), 400, 'invalidValue'],
    ['a malformed dateTime', body({ op: 'replace', path: 'urn:example:x:2.0:User:x', value: 1 }), 400, 'invalidPath'],
    ['a null inside a multi-valued value', body({ op: 'add', path: 'emails', value: [null] }), 400, 'invalidValue'],
    ['a wrongly typed sub-attribute', body({ op: 'add', path: 'emails', value: [{ value: 'a', primary: 'true' }] }), 400, 'invalidValue'],
    ['a value of an unknown schema in schemas', body({ op: 'add', path: 'schemas', value: ['urn:example:other'] }), 400, 'invalidValue'],
    ['an object for an extension URN path that is not an object', body({ op: 'add', path: ENTERPRISE_USER_SCHEMA, value: 'x' }), 400, 'invalidValue'],
    ['removing the core schema', body({ op: 'remove', path: USER_SCHEMA }), 400, 'invalidPath'],
  ];
  it.each(cases)('%s', (_, request, status, scimType) => {
    const e = refusal(() => applyPatch(bjensen(), request, users));
    expect([e.status, e.scimType]).toEqual([status, scimType]);
  });

  it('checks dateTime values', () => {
    const ext: SchemaDef = {
      id: 'urn:example:params:scim:schemas:extension:hr:2.0:User',
      name: 'Hr',
      description: '',
      attributes: [
        { name: 'hired', type: 'dateTime', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
        { name: 'grade', type: 'integer', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
        { name: 'ratio', type: 'decimal', multiValued: false, description: '', required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none' },
      ],
    };
    const schema = userSchema([ext]);
    const ok = applyPatch(bjensen(), body({ op: 'add', value: { hired: '2011-05-13T04:42:34Z', grade: 3, ratio: 0.5 } }), schema);
    expect(ok.resource[ext.id]).toEqual({ hired: '2011-05-13T04:42:34Z', grade: 3, ratio: 0.5 });
    for (const value of [{ hired: '2011-02-30T00:00:00Z' }, { grade: 1.5 }, { ratio: '0.5' }]) {
      expect(refusal(() => applyPatch(bjensen(), body({ op: 'add', value }), schema)).scimType).toBe('invalidValue');
    }
  });
});

describe('applyPatch: atomicity and change detection', () => {
  it('applies nothing when a later operation fails, and never mutates its input', () => {
    const input = bjensen();
    const frozen = JSON.stringify(input);
    const e = refusal(() =>
      applyPatch(input, body({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'remove', path: 'emails[type eq "work"]' }, { op: 'remove', path: 'userName' }), users),
    );
    expect(e.scimType).toBe('mutability');
    expect(e.detail).toMatch(/^Operation 3 \(remove "userName"\)/);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it('does not mutate its input on success either', () => {
    const input = bjensen();
    const frozen = JSON.stringify(input);
    patchUser([{ op: 'replace', path: 'emails[type eq "home"].primary', value: true }, { op: 'remove', path: 'name.givenName' }], input);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it.each([
    ['replacing with the same value', [{ op: 'replace', path: 'title', value: 'Tour Guide' }]],
    ['a path-less add of existing values', [{ op: 'add', value: { emails: [{ value: 'babs@jensen.org', type: 'home' }], displayName: 'Babs Jensen' } }]],
    ['removing an absent attribute', [{ op: 'remove', path: 'ims' }]],
    ['removing with a filter that matches nothing', [{ op: 'remove', path: 'emails[type eq "other"]' }]],
    ['a change and its undo', [{ op: 'replace', path: 'title', value: 'X' }, { op: 'replace', path: 'title', value: 'Tour Guide' }]],
    ['an unchanged primary', [{ op: 'replace', path: 'emails[type eq "work"].primary', value: true }]],
  ])('reports changed=false for %s', (_, ops) => {
    const r = patchUser(ops);
    expect(r.changed).toBe(false);
    expect(r.resource).toEqual(bjensen());
  });

  it('warns about a remove whose filter matched nothing', () => {
    expect(patchUser([{ op: 'remove', path: 'emails[type eq "other"]' }]).warnings).toEqual([
      'Operation 1 (remove "emails[type eq "other"]"): "emails[type eq "other"]" matched no value; nothing to remove',
    ]);
  });
});

describe('applyPatch: external members (Groups)', () => {
  const ext = { external: ['members'] };
  const group = (members?: object[]) => tourGuides(members);
  const run = (...ops: object[]) => applyPatch(group(), body(...ops), groups, ext);

  it('emits add for members and never writes them into the resource', () => {
    const r = run({ op: 'add', path: 'members', value: [BABS, { value: JAMES_ID, display: 'James Smith', type: 'User' }] });
    expect(r.memberOps).toEqual([{ kind: 'add', values: [{ value: BABS_ID, display: 'Babs Jensen' }, { value: JAMES_ID, display: 'James Smith', type: 'User' }] }]);
    expect(r.resource).toEqual(group());
    expect(r.changed).toBe(false);
  });

  it('never reads members from the resource either', () => {
    const r = applyPatch(group([BABS]), body({ op: 'remove', path: 'members' }), groups, ext);
    expect(r.resource.members).toEqual([BABS]);
    expect(r.memberOps).toEqual([{ kind: 'removeAll' }]);
  });

  const cases: [string, object, object[]][] = [
    ['bare string ids (Microsoft reference tests)', { op: 'add', path: 'members', value: [BABS_ID, JAMES_ID] }, [{ kind: 'add', values: [{ value: BABS_ID }, { value: JAMES_ID }] }]],
    ['a single member object', { op: 'add', path: 'members', value: { value: BABS_ID } }, [{ kind: 'add', values: [{ value: BABS_ID }] }]],
    ['duplicates collapse', { op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'a' }] }, [{ kind: 'add', values: [{ value: 'a' }] }]],
    ['an empty add emits nothing', { op: 'add', path: 'members', value: [] }, []],
    ['Entra remove with a value list', { op: 'remove', path: 'members', value: [{ value: BABS_ID }] }, [{ kind: 'remove', values: [BABS_ID] }]],
    ['remove by filter', { op: 'remove', path: `members[value eq "${BABS_ID}"]` }, [{ kind: 'remove', values: [BABS_ID] }]],
    ['remove by or-ed filter', { op: 'remove', path: 'members[value eq "a" or Value eq "b"]' }, [{ kind: 'remove', values: ['a', 'b'] }]],
    ['remove all', { op: 'remove', path: 'members' }, [{ kind: 'removeAll' }]],
    ['replace', { op: 'replace', path: 'members', value: [BABS] }, [{ kind: 'replace', values: [{ value: BABS_ID, display: 'Babs Jensen' }] }]],
    ['replace with null', { op: 'replace', path: 'members', value: null }, [{ kind: 'removeAll' }]],
    ['path-less replace with a members key', { op: 'replace', value: { members: [{ value: 'a' }] } }, [{ kind: 'replace', values: [{ value: 'a' }] }]],
    ['path-less add with a members key', { op: 'add', value: { Members: [{ value: 'a' }] } }, [{ kind: 'add', values: [{ value: 'a' }] }]],
    ['URN-qualified path', { op: 'add', path: `${GROUP_SCHEMA}:members`, value: ['a'] }, [{ kind: 'add', values: [{ value: 'a' }] }]],
  ];
  it.each(cases)('%s', (_, op, memberOps) => expect(run(op).memberOps).toEqual(memberOps));

  it('emits removeWhere for any other filter', () => {
    expect(run({ op: 'remove', path: 'members[type eq "Group"]' }).memberOps).toEqual([{ kind: 'removeWhere', filter: parseFilter('type eq "Group"') }]);
  });

  it('keeps the order of operations, alongside ordinary attributes', () => {
    const r = run(
      { op: 'remove', path: 'members' },
      { op: 'replace', path: 'displayName', value: 'Guides' },
      { op: 'add', path: 'members', value: [{ value: 'a' }] },
      { op: 'remove', path: 'members[value eq "a"]' },
    );
    expect(r.memberOps.map((m) => m.kind)).toEqual(['removeAll', 'add', 'remove']);
    expect(r.resource.displayName).toBe('Guides');
    expect(r.changed).toBe(true);
  });

  it.each([
    ['a member without value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
    ['a numeric member', { op: 'add', path: 'members', value: [3] }, 'invalidValue'],
    ['add null', { op: 'add', path: 'members', value: null }, 'invalidValue'],
    ['a sub-attribute path', { op: 'replace', path: 'members.display', value: 'x' }, 'invalidPath'],
    ['replace through a filter', { op: 'replace', path: 'members[value eq "a"]', value: { value: 'b' } }, 'invalidPath'],
    ['an unknown filter attribute', { op: 'remove', path: 'members[kind eq "a"]' }, 'invalidFilter'],
    ['an unknown member sub-attribute', { op: 'add', path: 'members', value: [{ value: 'a', role: 'x' }] }, 'invalidPath'],
  ])('refuses %s', (_, op, scimType) => {
    expect(refusal(() => run(op)).scimType).toBe(scimType);
  });

  it('emits no MemberOps when a later operation fails', () => {
    expect(() => run({ op: 'add', path: 'members', value: ['a'] }, { op: 'remove', path: 'displayName' })).toThrow(ScimError);
  });

  it('refuses more than one external attribute as a programming error', () => {
    expect(() => applyPatch(group(), body({ op: 'remove', path: 'members' }), groups, { external: ['members', 'displayName'] })).toThrow(/At most one/);
    expect(() => applyPatch(group(), body({ op: 'remove', path: 'members' }), groups, { external: ['displayName'] })).toThrow(/not a multi-valued/);
  });

  it('skips unknown member sub-attributes leniently', () => {
    const r = applyPatch(group(), body({ op: 'add', path: 'members', value: [{ value: 'a', role: 'x' }] }), groups, { ...ext, lenientUnknownAttributes: true });
    expect(r.memberOps).toEqual([{ kind: 'add', values: [{ value: 'a' }] }]);
    expect(r.warnings).toHaveLength(1);
  });
});

describe('eqTemplate', () => {
  const emails = users.resolve({ attr: 'emails' })!.attribute;
  it.each([
    ['type eq "work"', { type: 'work' }],
    ['TYPE eq "work" and primary eq true', { type: 'work', primary: true }],
    ['type eq "work" and type eq "work"', { type: 'work' }],
    ['type eq "work" and type eq "home"', undefined],
    ['type eq "work" or type eq "home"', undefined],
    ['type ne "work"', undefined],
    ['type eq null', undefined],
    ['not (type eq "work")', undefined],
  ])('%s', (text, expected) => expect(eqTemplate(parseFilter(text), emails, users)).toEqual(expected));
});

describe('parsePatchRequest via applyPatch', () => {
  it('accepts an operation list typed as PatchOperation', () => {
    const ops: PatchOperation[] = [{ op: 'replace', path: ' title ', value: 'x' }];
    expect(patchUser(ops).resource.title).toBe('x');
  });
});
