import { ScimError } from '../errors';
import { normaliseResource } from '../compat/idp-normaliser';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../schema/core-schemas';
import { groupSchema, userSchema } from '../schema/resource-schema';
import { canonicalResource } from './canonical';

const users = userSchema();
const groups = groupSchema();
const asUser = (body: unknown) => canonicalResource(normaliseResource(body, users), users, { ignore: ['id', 'meta', 'groups'] });

describe('canonicalResource', () => {
  it('spells names as the schema does and keeps values as sent', () => {
    const { resource } = asUser({
      UserName: 'Bjensen@Example.com',
      NAME: { GivenName: 'Barbara' },
      emails: [{ Primary: true, type: 'work', value: 'b@example.com' }],
    });
    expect(resource).toEqual({
      schemas: [CORE_USER_SCHEMA],
      userName: 'Bjensen@Example.com',
      name: { givenName: 'Barbara' },
      emails: [{ primary: true, type: 'work', value: 'b@example.com' }],
    });
  });

  it('drops what the server owns, nulls and unknown attributes, with a warning for the unknown', () => {
    const { resource, warnings } = asUser({
      id: 'client-id',
      meta: { created: 'yesterday' },
      groups: [{ value: 'x' }],
      schemas: ['urn:whatever'],
      userName: 'a',
      adreses: [{ country: 'DE' }],
      nickName: null,
    });
    expect(resource).toEqual({ schemas: [CORE_USER_SCHEMA], userName: 'a' });
    expect(warnings.join(' ')).toMatch(/adreses/);
  });

  it('reads string booleans and a lone email object, as Entra and OneLogin send them', () => {
    const { resource } = asUser({ userName: 'a', active: 'False', emails: { value: 'a@example.com', primary: 'True' } });
    expect(resource.active).toBe(false);
    expect(resource.emails).toEqual([{ value: 'a@example.com', primary: true }]);
  });

  it('lists the enterprise extension in schemas when its attributes are present', () => {
    const { resource } = asUser({ userName: 'a', [ENTERPRISE_USER_SCHEMA]: { Department: 'bob', Manager: { Value: 'SuzzyQ' } } });
    expect(resource.schemas).toEqual([CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    expect(resource[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'bob', manager: { value: 'SuzzyQ' } });
  });

  it('refuses a resource without its required attribute, and a body that is not an object', () => {
    expect(() => asUser({ userame: 'typo' })).toThrow(ScimError);
    expect(() => asUser({ userName: '  ' })).toThrow(/userName/);
    expect(() => canonicalResource([], users, { ignore: [] })).toThrow(/JSON object/);
  });

  it('returns group members separately, keeping the display sent', () => {
    const result = canonicalResource(
      normaliseResource({ displayName: 'Admins', members: [{ value: 'u1', display: 'User One' }, 'u2'] }, groups),
      groups,
      { ignore: ['id', 'meta'], external: ['members'] },
    );
    expect(result.resource).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Admins' });
    expect(result.members).toEqual([{ value: 'u1', display: 'User One' }, { value: 'u2' }]);
  });
});

describe('normaliseResource for members', () => {
  it('reads a member "displayName" as its display, as Microsoft’s validator sends it', () => {
    const body = normaliseResource({ displayName: 'G', members: [{ displayName: 'new User', value: 'u4' }] }, groups);
    expect(canonicalResource(body, groups, { ignore: [], external: ['members'] }).members).toEqual([{ value: 'u4', display: 'new User' }]);
  });
});
