import { compileMapping } from './compile';
import type { Mapping } from './mapping';

describe('compileMapping', () => {
  it('refuses a mapping without a username rule', () => {
    expect(() => compileMapping({ kind: 'scim', rules: [{ target: 'title', source: { scim: 'title' } }] })).toThrow(
      'A mapping needs a rule with target "username"',
    );
  });

  it('names the rule whose pattern, path or source kind cannot compile', () => {
    const mapping = (rule: Mapping['rules'][number]): Mapping => ({ kind: 'scim', rules: [{ target: 'username', source: { scim: 'userName' } }, rule] });
    expect(() => compileMapping(mapping({ drop: { when: { source: { scim: 'userType' }, matches: '(?=x)' } } }))).toThrow(
      'rules[1] (drop): /(?=x)/ is not a valid RE2 pattern',
    );
    expect(() => compileMapping(mapping({ target: 'title', source: { scim: 'titel' } }))).toThrow('rules[1] (title): "titel" is not an attribute');
    expect(() => compileMapping(mapping({ target: 'title', source: { ldap: 'title' } }))).toThrow(
      'rules[1] (title): this mapping reads SCIM resources; use { "scim": "<path>" }',
    );
  });
});
