import {
  COMMON_ATTRIBUTES,
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE_USER,
  GROUP_RESOURCE_TYPE,
  SCHEMAS_ATTRIBUTE,
  USER_RESOURCE_TYPE,
} from './core-schemas';
import type { AttributeDef, SchemaDef } from './types';

function at(defs: readonly AttributeDef[], dotted: string): AttributeDef {
  const [top, sub] = dotted.split('.');
  const a = defs.find((d) => d.name === top);
  if (!a) throw new Error(`no ${top}`);
  if (!sub) return a;
  const s = a.subAttributes?.find((d) => d.name === sub);
  if (!s) throw new Error(`no ${dotted}`);
  return s;
}

const user = (p: string) => at(CORE_USER.attributes, p);
const group = (p: string) => at(CORE_GROUP.attributes, p);
const enterprise = (p: string) => at(ENTERPRISE_USER.attributes, p);
const common = (p: string) => at(COMMON_ATTRIBUTES, p);

describe('RFC 7643 schemas', () => {
  it('lists the core User attributes of section 8.7.1 in order', () => {
    expect(CORE_USER.attributes.map((a) => a.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ]);
  });

  it.each<[string, Partial<AttributeDef>]>([
    ['userName', { type: 'string', required: true, caseExact: false, uniqueness: 'server', mutability: 'readWrite' }],
    ['name', { type: 'complex', multiValued: false }],
    ['name.familyName', { type: 'string', caseExact: false }],
    ['profileUrl', { type: 'reference', referenceTypes: ['external'] }],
    ['active', { type: 'boolean' }],
    ['password', { mutability: 'writeOnly', returned: 'never', caseExact: false }],
    ['emails', { type: 'complex', multiValued: true }],
    ['emails.type', { canonicalValues: ['work', 'home', 'other'] }],
    ['emails.primary', { type: 'boolean' }],
    ['phoneNumbers.type', { canonicalValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'] }],
    ['ims.type', { canonicalValues: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'] }],
    ['photos.value', { type: 'reference', referenceTypes: ['external'] }],
    ['photos.type', { canonicalValues: ['photo', 'thumbnail'] }],
    ['addresses', { multiValued: true, type: 'complex' }],
    ['addresses.type', { canonicalValues: ['work', 'home', 'other'] }],
    ['groups', { mutability: 'readOnly', multiValued: true }],
    ['groups.value', { mutability: 'readOnly' }],
    ['groups.$ref', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'readOnly' }],
    ['groups.type', { canonicalValues: ['direct', 'indirect'], mutability: 'readOnly' }],
    ['entitlements', { multiValued: true }],
    ['roles.value', { type: 'string' }],
    ['x509Certificates.value', { type: 'binary' }],
  ])('User %s has the RFC characteristics', (path, expected) => {
    expect(user(path)).toMatchObject(expected);
  });

  it.each<[string, Partial<AttributeDef>]>([
    ['displayName', { required: true, type: 'string' }],
    ['members', { type: 'complex', multiValued: true, mutability: 'readWrite' }],
    ['members.value', { mutability: 'immutable', type: 'string' }],
    ['members.$ref', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'immutable' }],
    ['members.display', { type: 'string' }],
    ['members.type', { canonicalValues: ['User', 'Group'], mutability: 'immutable' }],
  ])('Group %s has the RFC characteristics', (path, expected) => {
    expect(group(path)).toMatchObject(expected);
  });

  it.each<[string, Partial<AttributeDef>]>([
    ['employeeNumber', { type: 'string' }],
    ['costCenter', { type: 'string' }],
    ['organization', { type: 'string' }],
    ['division', { type: 'string' }],
    ['department', { type: 'string' }],
    ['manager', { type: 'complex', multiValued: false }],
    ['manager.value', { type: 'string', mutability: 'readWrite' }],
    ['manager.$ref', { type: 'reference', referenceTypes: ['User'] }],
    ['manager.displayName', { mutability: 'readOnly' }],
  ])('Enterprise User %s has the RFC characteristics', (path, expected) => {
    expect(enterprise(path)).toMatchObject(expected);
  });

  it.each<[string, Partial<AttributeDef>]>([
    ['id', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }],
    ['externalId', { caseExact: true, mutability: 'readWrite' }],
    ['meta', { type: 'complex', mutability: 'readOnly' }],
    ['meta.created', { type: 'dateTime', mutability: 'readOnly' }],
    ['meta.lastModified', { type: 'dateTime', mutability: 'readOnly' }],
    ['meta.location', { type: 'reference', mutability: 'readOnly' }],
    ['meta.resourceType', { mutability: 'readOnly' }],
    ['meta.version', { mutability: 'readOnly' }],
  ])('common attribute %s has the RFC characteristics', (path, expected) => {
    expect(common(path)).toMatchObject(expected);
  });

  it('defines every characteristic of every attribute, and sub-attributes only on complex ones', () => {
    const check = (a: AttributeDef, depth: number) => {
      for (const key of ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'] as const) {
        expect(a[key]).toBeDefined();
      }
      expect(!!a.subAttributes).toBe(a.type === 'complex');
      if (depth > 0) expect(a.type).not.toBe('complex');
      a.subAttributes?.forEach((s) => check(s, depth + 1));
    };
    for (const s of [CORE_USER, CORE_GROUP, ENTERPRISE_USER] as SchemaDef[]) s.attributes.forEach((a) => check(a, 0));
    COMMON_ATTRIBUTES.forEach((a) => check(a, 0));
    check(SCHEMAS_ATTRIBUTE, 0);
  });

  it('declares the User and Group resource types', () => {
    expect(USER_RESOURCE_TYPE).toMatchObject({
      id: 'User',
      endpoint: '/Users',
      schema: CORE_USER.id,
      schemaExtensions: [{ schema: ENTERPRISE_USER.id, required: false }],
    });
    expect(GROUP_RESOURCE_TYPE).toMatchObject({ id: 'Group', endpoint: '/Groups', schema: CORE_GROUP.id, schemaExtensions: [] });
  });

  it('cannot be edited by a consumer', () => {
    expect(Object.isFrozen(user('emails.type').canonicalValues)).toBe(true);
    expect(() => {
      (CORE_USER.attributes[0] as { required: boolean }).required = false;
    }).toThrow(TypeError);
  });
});
