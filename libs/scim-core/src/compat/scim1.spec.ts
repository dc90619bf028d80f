import { ScimError } from '../errors';
import { PATCH_OP_SCHEMA } from '../patch/patch-request';
import { CORE_GROUP, CORE_GROUP_SCHEMA, CORE_USER, CORE_USER_SCHEMA, ENTERPRISE_USER, ENTERPRISE_USER_SCHEMA } from '../schema/core-schemas';
import {
  SCIM1_CORE_SCHEMA,
  SCIM1_ENTERPRISE_SCHEMA,
  scim1Error,
  scim1ListResponse,
  scim1ParameterToV2,
  scim1PatchToV2,
  scim1ResourceToV2,
  scim1SchemaDocument,
  scim2ResourceToV1,
} from './scim1';

const CUSTOM = 'urn:example:params:scim:schemas:extension:acme:1.0:User';

describe('scim1ResourceToV2', () => {
  it('maps the 1.1 URNs to 2.0 ones and drops meta', () => {
    expect(
      scim1ResourceToV2(
        { schemas: [SCIM1_CORE_SCHEMA, SCIM1_ENTERPRISE_SCHEMA, CUSTOM], userName: 'bjensen', [SCIM1_ENTERPRISE_SCHEMA]: { employeeNumber: '7' }, [CUSTOM]: { badge: 'x' }, meta: { attributes: ['title'] } },
        'User',
      ),
    ).toEqual({ schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CUSTOM], userName: 'bjensen', [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '7' }, [CUSTOM]: { badge: 'x' } });
  });

  it('reads URNs without regard to case, and adds the core schema a body leaves out', () => {
    expect(scim1ResourceToV2({ schemas: ['URN:SCIM:SCHEMAS:CORE:1.0'], displayName: 'Ops' }, 'Group')).toEqual({ schemas: [CORE_GROUP_SCHEMA], displayName: 'Ops' });
    expect(scim1ResourceToV2({ displayName: 'Ops' }, 'Group')).toEqual({ displayName: 'Ops', schemas: [CORE_GROUP_SCHEMA] });
  });

  it('passes anything but an object on unchanged, for the 2.0 code to refuse', () => {
    expect(scim1ResourceToV2([1], 'User')).toEqual([1]);
    expect(scim1ResourceToV2(null, 'User')).toBeNull();
  });
});

describe('scim2ResourceToV1', () => {
  it('renders 1.1 URNs, no meta.resourceType and no $ref', () => {
    const v2 = {
      schemas: [CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CUSTOM],
      id: '1',
      userName: 'bjensen',
      groups: [{ value: 'g', display: 'Ops', $ref: 'https://x/Groups/g' }],
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: 'm' } },
      [CUSTOM]: { badge: 'x' },
      meta: { resourceType: 'User', created: 'c', lastModified: 'l', location: 'https://x/Users/1', version: 'W/"1"' },
    };
    expect(scim2ResourceToV1(v2)).toEqual({
      schemas: [SCIM1_CORE_SCHEMA, SCIM1_ENTERPRISE_SCHEMA, CUSTOM],
      id: '1',
      userName: 'bjensen',
      groups: [{ value: 'g', display: 'Ops' }],
      [SCIM1_ENTERPRISE_SCHEMA]: { manager: { value: 'm' } },
      [CUSTOM]: { badge: 'x' },
      meta: { created: 'c', lastModified: 'l', location: 'https://x/Users/1', version: 'W/"1"' },
    });
  });

  it('keeps a group’s members without $ref', () => {
    expect(scim2ResourceToV1({ schemas: [CORE_GROUP_SCHEMA], members: [{ value: 'u', $ref: 'r', type: 'User' }] })).toEqual({ schemas: [SCIM1_CORE_SCHEMA], members: [{ value: 'u', type: 'User' }] });
  });
});

describe('scim1ParameterToV2', () => {
  it('renames the enterprise extension’s attributes, in any case, and leaves the rest', () => {
    expect(scim1ParameterToV2('urn:scim:schemas:extension:enterprise:1.0.employeeNumber eq "1" and userName sw "b"')).toBe(
      `${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "1" and userName sw "b"`,
    );
    expect(scim1ParameterToV2('URN:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:1.0.manager.managerId pr')).toBe(`${ENTERPRISE_USER_SCHEMA}:manager.managerId pr`);
    expect(scim1ParameterToV2('userName,emails')).toBe('userName,emails');
  });
});

describe('scim1PatchToV2', () => {
  it('removes what meta.attributes names first, then replaces singular attributes', () => {
    expect(scim1PatchToV2({ schemas: [SCIM1_CORE_SCHEMA], title: 'CEO', name: { givenName: 'B' }, meta: { attributes: ['nickName', 'urn:scim:schemas:extension:enterprise:1.0.department'] } }, 'User')).toEqual({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'remove', path: 'nickName' },
        { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:department` },
        { op: 'replace', path: 'title', value: 'CEO' },
        { op: 'replace', path: 'name', value: { givenName: 'B' } },
      ],
    });
  });

  it('adds multi-valued values and removes those marked "operation": "delete" by value', () => {
    expect(scim1PatchToV2({ members: [{ value: 'a', display: 'A' }, { value: 'b', operation: 'delete' }, { value: 'c"q', operation: 'DELETE' }] }, 'Group').Operations).toEqual([
      { op: 'remove', path: 'members[value eq "b"]' },
      { op: 'remove', path: 'members[value eq "c\\"q"]' },
      { op: 'add', path: 'members', value: [{ value: 'a', display: 'A' }] },
    ]);
  });

  it('selects a deleted value by its other sub-attributes when it has no value, or the whole attribute when it has none', () => {
    expect(scim1PatchToV2({ emails: [{ type: 'home', primary: false, operation: 'delete' }] }, 'User').Operations).toEqual([{ op: 'remove', path: 'emails[type eq "home" and primary eq false]' }]);
    expect(scim1PatchToV2({ phoneNumbers: [{ operation: 'delete' }] }, 'User').Operations).toEqual([{ op: 'remove', path: 'phoneNumbers' }]);
  });

  it('writes extension attributes with their 2.0 URN in the path', () => {
    expect(scim1PatchToV2({ [SCIM1_ENTERPRISE_SCHEMA]: { department: 'Tours', manager: { managerId: 'm' } } }, 'User').Operations).toEqual([
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Tours' },
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: { managerId: 'm' } },
    ]);
  });

  it('ignores schemas and id, and gives an empty body no operations', () => {
    expect(scim1PatchToV2({ schemas: [SCIM1_CORE_SCHEMA], id: 'x' }, 'User').Operations).toEqual([]);
  });

  it('refuses what is not a 1.1 PATCH, with a 400', () => {
    const refused = (body: unknown) => {
      try {
        scim1PatchToV2(body, 'User');
      } catch (e) {
        return e instanceof ScimError ? e.status : e;
      }
      return 'accepted';
    };
    expect(refused([])).toBe(400);
    expect(refused({ meta: { attributes: 'title' } })).toBe(400);
    expect(refused({ meta: { attributes: [1] } })).toBe(400);
    expect(refused({ emails: [{ value: 'x', operation: 'merge' }] })).toBe(400);
    expect(refused({ [SCIM1_ENTERPRISE_SCHEMA]: 'Tours' })).toBe(400);
  });
});

describe('1.1 messages', () => {
  it('renders errors as the Errors list', () => {
    expect(scim1Error(new ScimError(409, 'uniqueness', 'taken'))).toEqual({ Errors: [{ description: 'taken', code: '409' }] });
  });

  it('renders list responses with the 1.1 core URN', () => {
    expect(scim1ListResponse([{ id: 'a' }], 3, 2)).toEqual({ schemas: [SCIM1_CORE_SCHEMA], totalResults: 3, itemsPerPage: 1, startIndex: 2, Resources: [{ id: 'a' }] });
  });

  it('describes a resource schema with the common attributes and each attribute’s schema', () => {
    const doc = scim1SchemaDocument({ name: 'User', endpoint: '/Users' }, CORE_USER, [ENTERPRISE_USER]);
    const byName = new Map(doc.attributes.map((a) => [a.name, a]));
    expect(doc).toMatchObject({ id: SCIM1_CORE_SCHEMA, name: 'User', schema: SCIM1_CORE_SCHEMA, endpoint: '/Users' });
    expect(byName.get('id')).toMatchObject({ readOnly: true, schema: SCIM1_CORE_SCHEMA });
    expect(byName.get('meta')!.subAttributes!.map((s) => s.name)).not.toContain('resourceType');
    expect(byName.get('manager')).toMatchObject({ schema: SCIM1_ENTERPRISE_SCHEMA, type: 'complex' });
    expect(doc.attributes.filter((a) => a.name === 'externalId')).toHaveLength(1);
    // 1.1 has no "reference" type: references are strings.
    expect(doc.attributes.some((a) => a.type === 'reference' || a.subAttributes?.some((s) => s.type === 'reference'))).toBe(false);
    expect(scim1SchemaDocument({ name: 'Group', endpoint: '/Groups' }, CORE_GROUP, []).attributes.map((a) => a.name)).toContain('members');
  });
});
