import { canonicalResource } from '../patch/canonical';
import { userSchema } from './resource-schema';
import { validateSchemaExtensions } from './extension';

const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';

describe('validateSchemaExtensions', () => {
  it('fills RFC 7643 defaults for every characteristic left out', () => {
    const result = validateSchemaExtensions([
      { resourceType: 'User', schema: { id: ACME, name: 'Acme', attributes: [{ name: 'badge', type: 'string' }, { name: 'levels', type: 'integer', multiValued: true }] } },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.extensions[0].schema.attributes[0]).toEqual({
      name: 'badge',
      type: 'string',
      multiValued: false,
      description: 'badge',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    });
    expect(result.extensions[0].schema.description).toBe('Acme');
  });

  it('names every problem with its path', () => {
    const result = validateSchemaExtensions([
      { resourceType: 'Printer', schema: { id: 'not a urn', name: '', attributes: [{ name: '9lives', type: 'float' }, { name: 'x', type: 'complex' }] } },
      { resourceType: 'User', schema: { id: 'urn:ietf:params:scim:schemas:core:2.0:User', name: 'Core', attributes: [{ name: 'a', type: 'string', uniqueness: 'server', colour: 'red' }] } },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        '[0].resourceType',
        '[0].schema.id',
        '[0].schema.name',
        '[0].schema.attributes[0].name',
        '[0].schema.attributes[0].type',
        '[0].schema.attributes[1].subAttributes',
        '[1].schema.attributes[0].colour',
        '[1].schema.attributes[0].uniqueness',
      ]),
    );
    expect(result.problems.find((p) => p.path === '[1].schema.id')?.message).toMatch(/RFC 7643/);
  });

  it('refuses the same URN twice and a list that is not a list', () => {
    const twice = { resourceType: 'User', schema: { id: ACME, name: 'A', attributes: [{ name: 'a', type: 'string' }] } };
    const result = validateSchemaExtensions([twice, { ...twice, schema: { ...twice.schema, id: ACME.toUpperCase().replace('URN', 'urn') } }]);
    expect(result.ok).toBe(false);
    expect(validateSchemaExtensions({}).ok).toBe(false);
  });

  it('gives a schema the engines use: values checked, required attributes enforced when the extension is present', () => {
    const result = validateSchemaExtensions([
      { resourceType: 'User', schema: { id: ACME, name: 'Acme', attributes: [{ name: 'badge', type: 'integer', required: true }, { name: 'site', type: 'string' }] } },
    ]);
    if (!result.ok) throw new Error('invalid');
    const schema = userSchema(result.extensions.map((e) => e.schema));
    const ok = canonicalResource({ userName: 'a', [ACME]: { Badge: 7, site: 'HQ' } }, schema, { ignore: [] });
    expect(ok.resource).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ACME], userName: 'a', [ACME]: { badge: 7, site: 'HQ' } });
    expect(() => canonicalResource({ userName: 'a', [ACME]: { site: 'HQ' } }, schema, { ignore: [] })).toThrow(/badge" is required/);
    expect(() => canonicalResource({ userName: 'a', [ACME]: { badge: 'seven' } }, schema, { ignore: [] })).toThrow();
    expect(canonicalResource({ userName: 'a' }, schema, { ignore: [] }).resource.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User']);
  });
});
