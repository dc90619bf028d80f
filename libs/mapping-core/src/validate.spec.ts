import { ENTERPRISE_USER_SCHEMA } from '@roster/scim-core';
import { validateMapping, type MappingError } from './validate';

const username = { target: 'username', source: { scim: 'userName' } };

function errorsOf(input: unknown): MappingError[] {
  const validation = validateMapping(input);
  if (validation.ok) throw new Error('expected the mapping to be refused');
  return validation.errors;
}

/** The errors of a SCIM mapping made of a username rule and `rule` (rules[1]). */
function ruleErrors(rule: unknown, kind = 'scim'): MappingError[] {
  return errorsOf({ kind, rules: [kind === 'scim' ? username : { target: 'username', source: { ldap: 'uid' } }, rule] });
}

describe('validateMapping', () => {
  it('accepts a full mapping and returns it as written', () => {
    const input = {
      kind: 'scim',
      rules: [
        username,
        {
          target: 'email',
          source: { firstOf: [{ scim: 'emails[type eq "work"].value' }, { scim: 'userName', matches: '@' }] },
          transform: ['trim', 'lowercase', { replace: { pattern: '@old\\.example$', with: '@new.example', flags: 'i' } }],
          onEmpty: 'keep',
        },
        { target: 'displayName', source: { template: '{name.givenName} {name.familyName}' } },
        { target: 'department', source: { scim: `${ENTERPRISE_USER_SCHEMA}:department` }, transform: [{ map: { table: { ENG: 'Engineering' }, default: 'Other' } }] },
        { target: 'custom:costCenter', source: { scim: 'urn:acme:1.0:User:costCenter' }, transform: [{ split: { separator: '-', index: -1 } }, { prefix: 'CC' }] },
        { target: 'active', source: { scim: 'active' }, onEmpty: 'default', default: 'true' },
        { drop: { when: { source: { scim: 'userType' }, equals: 'Contractor' } } },
      ],
    };
    expect(validateMapping(input)).toEqual({ ok: true, mapping: input });
  });

  describe('the mapping itself', () => {
    it.each([
      [[], { rule: null, field: '', message: 'a mapping must be an object { "kind": "scim" | "ldap", "rules": [...] }' }],
      [{ kind: 'okta', rules: [] }, { rule: null, field: 'kind', message: 'kind: must be "scim" or "ldap" (the kind of record the connector produces)' }],
      [{ kind: 'scim', rules: {} }, { rule: null, field: 'rules', message: 'rules: must be a list of rules' }],
      [{ kind: 'scim', rules: [username], version: 2 }, { rule: null, field: 'version', message: 'version: unknown key; expected one of "kind", "rules"' }],
      [{ kind: 'scim', rules: [] }, { rule: null, field: 'rules', message: 'rules: no rule has target "username"; every mapping needs one' }],
    ])('refuses %j', (input, error) => {
      expect(errorsOf(input)).toEqual([error]);
    });
  });

  describe('targets', () => {
    it('refuses unknown targets, listing the valid ones', () => {
      expect(ruleErrors({ target: 'mail', source: { scim: 'userName' } })).toEqual([
        {
          rule: 1,
          field: 'target',
          message:
            'rules[1] (mail), target: unknown target "mail"; expected one of username, email, displayName, firstName, lastName, active, externalId, phone, title, department, manager, employeeNumber, or custom:<name>',
        },
      ]);
    });

    it('refuses bad custom attribute names', () => {
      expect(ruleErrors({ target: 'custom:1st', source: { scim: 'userName' } })[0].message).toBe(
        'rules[1] (custom:1st), target: "1st" is not a custom attribute name: a letter, then up to 63 letters, digits, "_", "." or "-"',
      );
      expect(ruleErrors({ target: `custom:a${'b'.repeat(64)}`, source: { scim: 'userName' } })[0].field).toBe('target');
    });

    it('refuses a second rule for the same target, custom names ignoring case', () => {
      const errors = errorsOf({
        kind: 'scim',
        rules: [
          username,
          { target: 'custom:costCenter', source: { constant: 'a' } },
          { target: 'username', source: { scim: 'externalId' } },
          { target: 'custom:COSTCENTER', source: { constant: 'b' } },
        ],
      });
      expect(errors).toEqual([
        { rule: 2, field: 'target', message: 'rules[2] (username), target: rules[0] already writes username; a target takes one rule (put fallbacks in firstOf)' },
        {
          rule: 3,
          field: 'target',
          message: 'rules[3] (custom:COSTCENTER), target: rules[1] already writes custom:COSTCENTER; a target takes one rule (put fallbacks in firstOf)',
        },
      ]);
    });

    it('refuses unknown keys in a rule', () => {
      expect(ruleErrors({ target: 'title', source: { scim: 'title' }, tranform: ['trim'] })).toEqual([
        { rule: 1, field: 'tranform', message: 'rules[1] (title), tranform: unknown key; expected one of "target", "source", "transform", "onEmpty", "default"' },
      ]);
    });

    it('refuses a rule that is not an object', () => {
      expect(ruleErrors('title')[0].message).toBe(
        'rules[1]: must be an object: a field rule { "target", "source", ... } or a drop rule { "drop": { "when": ... } }',
      );
    });
  });

  describe('sources', () => {
    const withSource = (source: unknown, kind = 'scim') => ruleErrors({ target: 'title', source }, kind);

    it.each([
      [undefined, 'source', 'must be a source: an object with one of "scim", "ldap", "constant", "template", "firstOf"'],
      [{}, 'source', 'needs one of "scim", "ldap", "constant", "template", "firstOf" (the kind of source)'],
      [{ scim: 'title', constant: 'x' }, 'source', 'has "scim", "constant"; give only one'],
      [{ scim: '' }, 'source.scim', 'must be a non-empty string'],
      [{ scim: 'titel' }, 'source.scim', '"titel" is not an attribute of the SCIM core or enterprise User schema (attributes of other extensions need their schema URN)'],
      [{ scim: 'name' }, 'source.scim', '"name" is a complex attribute; name one of its sub-attributes (formatted, familyName, givenName, middleName, honorificPrefix, honorificSuffix), e.g. "name.formatted"'],
      [{ scim: ENTERPRISE_USER_SCHEMA }, 'source.scim', `"${ENTERPRISE_USER_SCHEMA}" names a whole schema; add one of its attributes, e.g. "${ENTERPRISE_USER_SCHEMA}:department"`],
      [{ scim: 'emails[type eq "work"' }, 'source.scim', '"emails[type eq "work"" is not a SCIM path: Expected "]" to close "[" at 6, found end of path at 21'],
      [{ scim: 'emails[kind eq "work"].value' }, 'source.scim', '"emails[kind eq "work"].value": Unknown sub-attribute "kind" of "emails"'],
      [{ scim: 'urn:acme:1.0:User:badges[type eq "x"].value' }, 'source.scim', '"urn:acme:1.0:User:badges[type eq "x"].value": value filters work only on attributes of the core and enterprise User schemas'],
      [{ ldap: 'mail' }, 'source.ldap', 'this mapping reads SCIM resources; use { "scim": "<path>" }'],
      [{ template: '{name.givenName} {name.surname}' }, 'source.template', 'placeholder {name.surname}: "name.surname" is not an attribute of the SCIM core or enterprise User schema (attributes of other extensions need their schema URN)'],
      [{ template: 'Dr {name.givenName' }, 'source.template', 'the "{" at 3 is never closed (write "{{" for a literal brace)'],
      [{ firstOf: [] }, 'source.firstOf', 'must list at least one source'],
      [{ firstOf: [{ scim: 'title' }, { scim: 'tittle' }] }, 'source.firstOf[1].scim', '"tittle" is not an attribute of the SCIM core or enterprise User schema (attributes of other extensions need their schema URN)'],
      [{ scim: 'title', matches: '(?=x)' }, 'source.matches', '/(?=x)/ is not a valid RE2 pattern (invalid perl operator: (?=); RE2 has no lookahead, lookbehind or backreferences'],
      [{ scim: 'title', where: 'x' }, 'source.where', 'unknown key; expected one of "scim", "ldap", "constant", "template", "firstOf", "matches"'],
    ])('refuses %j', (source, field, problem) => {
      expect(withSource(source)).toContainEqual({ rule: 1, field, message: `rules[1] (title), ${field}: ${problem}` });
    });

    it('refuses firstOf nested beyond 8 levels', () => {
      let source: unknown = { scim: 'title' };
      for (let i = 0; i < 8; i++) source = { firstOf: [source] };
      expect(withSource(source)).toEqual([
        {
          rule: 1,
          field: 'source.firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf',
          message: 'rules[1] (title), source.firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf[0].firstOf: nests sources deeper than 8 levels',
        },
      ]);
    });

    it('checks LDAP attribute names and source kinds in LDAP mappings', () => {
      expect(withSource({ ldap: 'mail address' }, 'ldap')).toEqual([
        { rule: 1, field: 'source.ldap', message: 'rules[1] (title), source.ldap: "mail address" is not an LDAP attribute name (a letter then letters, digits or hyphens, or an OID)' },
      ]);
      expect(withSource({ scim: 'title' }, 'ldap')[0].message).toBe('rules[1] (title), source.scim: this mapping reads LDAP entries; use { "ldap": "<attribute>" }');
      expect(withSource({ template: '{given name}' }, 'ldap')[0].field).toBe('source.template');
      expect(validateMapping({ kind: 'ldap', rules: [{ target: 'username', source: { ldap: 'userCertificate;binary' } }] }).ok).toBe(true);
    });
  });

  describe('transformations', () => {
    const withTransform = (transform: unknown) => ruleErrors({ target: 'title', source: { scim: 'title' }, transform });

    it.each([
      ['capitalize', 'transform[0]', 'unknown transformation "capitalize"; expected lowercase, uppercase, trim, adAccountActive, or an object with one of replace, split, map, prefix, suffix'],
      [{ substring: { from: 1 } }, 'transform[0].substring', 'unknown key; expected one of "replace", "split", "map", "prefix", "suffix"'],
      [{ replace: { pattern: '(?=x)', with: '' } }, 'transform[0].replace.pattern', '/(?=x)/ is not a valid RE2 pattern (invalid perl operator: (?=); RE2 has no lookahead, lookbehind or backreferences'],
      [{ replace: { pattern: '(a)\\1', with: '' } }, 'transform[0].replace.pattern', '/(a)\\1/ is not a valid RE2 pattern (invalid escape sequence: \\1); RE2 has no lookahead, lookbehind or backreferences'],
      [{ replace: { pattern: '', with: '' } }, 'transform[0].replace.pattern', 'must be a non-empty string'],
      [{ replace: { pattern: 'a' } }, 'transform[0].replace.with', 'must be a string'],
      [{ replace: { pattern: 'a', with: 'b', flags: 'gy' } }, 'transform[0].replace.flags', 'flag "y" is not one of g, i, m, s'],
      [{ replace: { pattern: 'a', with: 'b', flags: 'gig' } }, 'transform[0].replace.flags', 'flag "g" is given twice'],
      [{ split: { separator: ',', index: 1.5 } }, 'transform[0].split.index', 'must be a whole number (negative counts from the end)'],
      [{ split: { separator: '', index: 0 } }, 'transform[0].split.separator', 'must be a non-empty string'],
      [{ map: { table: { ENG: 1 } } }, 'transform[0].map.table.ENG', 'must be a string'],
      [{ map: { table: ['ENG'] } }, 'transform[0].map.table', 'must be an object of value-to-value pairs'],
      [{ prefix: '' }, 'transform[0].prefix', 'must be a non-empty string'],
      [{ prefix: 'a', suffix: 'b' }, 'transform[0]', 'has "prefix", "suffix"; give only one'],
    ])('refuses %j', (transformation, field, problem) => {
      expect(withTransform([transformation])).toEqual([{ rule: 1, field, message: `rules[1] (title), ${field}: ${problem}` }]);
    });

    it('keeps a "__proto__" table entry as an entry', () => {
      const rule = '{"target":"username","source":{"scim":"userName"},"transform":[{"map":{"table":{"__proto__":"x"}}}]}';
      const validation = validateMapping(JSON.parse(`{"kind":"scim","rules":[${rule}]}`));
      expect(validation).toEqual({ ok: true, mapping: { kind: 'scim', rules: [JSON.parse(rule)] } });
    });

    it('accepts patterns that only backtracking engines choke on', () => {
      const rules = [username, { target: 'title', source: { scim: 'title', matches: '(a+)+$' }, transform: [{ replace: { pattern: '(x+x+)+y', with: '' } }] }];
      expect(validateMapping({ kind: 'scim', rules }).ok).toBe(true);
    });

    it('refuses a transform that is not a list', () => {
      expect(withTransform('trim')).toEqual([{ rule: 1, field: 'transform', message: 'rules[1] (title), transform: must be a list' }]);
    });
  });

  describe('onEmpty and default', () => {
    it.each([
      [{ target: 'title', source: { scim: 'title' }, onEmpty: 'ignore' }, 'onEmpty', 'rules[1] (title), onEmpty: must be one of "keep", "clear", "default", "skip"'],
      [{ target: 'title', source: { scim: 'title' }, default: 'x' }, 'default', 'rules[1] (title), default: is used only with "onEmpty": "default"'],
      [{ target: 'title', source: { scim: 'title' }, onEmpty: 'default' }, 'default', 'rules[1] (title), default: must be a non-empty string'],
      [{ target: 'active', source: { scim: 'active' }, onEmpty: 'default', default: 'yes' }, 'default', 'rules[1] (active), default: "yes" is not a value for active; use "true" or "false"'],
      [{ target: 'active', source: { constant: 'on' } }, 'source.constant', 'rules[1] (active), source.constant: "on" is not a value for active; use "true" or "false"'],
    ])('refuses %j', (rule, field, message) => {
      expect(ruleErrors(rule)).toEqual([{ rule: 1, field, message }]);
    });

    it('accepts a constant for active that a transformation turns into a Boolean', () => {
      const rules = [username, { target: 'active', source: { constant: 'on' }, transform: [{ map: { table: { on: 'true' } } }] }];
      expect(validateMapping({ kind: 'scim', rules }).ok).toBe(true);
    });

    it('refuses to clear or default a username', () => {
      expect(errorsOf({ kind: 'scim', rules: [{ ...username, onEmpty: 'clear' }] })).toEqual([
        { rule: 0, field: 'onEmpty', message: 'rules[0] (username), onEmpty: a username cannot be cleared; use "skip" (the default) or "keep"' },
      ]);
      expect(errorsOf({ kind: 'scim', rules: [{ ...username, onEmpty: 'default', default: 'shared' }] })[0].message).toBe(
        'rules[0] (username), onEmpty: a username cannot be defaulted; use "skip" (the default) or "keep"',
      );
    });
  });

  describe('drop rules', () => {
    const withCondition = (when: unknown) => ruleErrors({ drop: { when } });

    it.each([
      [undefined, 'drop.when', 'must be a condition { "source", and one of "matches", "equals", "empty" }'],
      [{ source: { scim: 'userType' } }, 'drop.when', 'needs one of "matches", "equals", "empty" (the test)'],
      [{ source: { scim: 'userType' }, equals: 'a', matches: 'b' }, 'drop.when', 'has "matches", "equals"; give only one'],
      [{ source: { scim: 'userType' }, equals: '' }, 'drop.when.equals', 'must not be empty; use "empty": true to test for no value'],
      [{ source: { scim: 'userType' }, empty: 'yes' }, 'drop.when.empty', 'must be true or false'],
      [{ source: { scim: 'userType' }, matches: '(?<!x)y' }, 'drop.when.matches', '/(?<!x)y/ is not a valid RE2 pattern (invalid perl operator: (?<!); RE2 has no lookahead, lookbehind or backreferences'],
      [{ source: { scim: 'usertipe' }, empty: true }, 'drop.when.source.scim', '"usertipe" is not an attribute of the SCIM core or enterprise User schema (attributes of other extensions need their schema URN)'],
    ])('refuses %j', (when, field, problem) => {
      expect(withCondition(when)).toEqual([{ rule: 1, field, message: `rules[1] (drop), ${field}: ${problem}` }]);
    });

    it('refuses field-rule keys on a drop rule', () => {
      expect(ruleErrors({ target: 'title', drop: { when: { source: { scim: 'title' }, empty: true } } })).toEqual([
        { rule: 1, field: 'target', message: 'rules[1] (drop), target: unknown key; expected one of "drop"' },
      ]);
    });
  });

  it('reports every error at once', () => {
    const errors = errorsOf({
      kind: 'scim',
      rules: [
        { target: 'email', source: { scim: 'emails[type eq "work"].value' }, transform: ['lowercase', 'titlecase'] },
        { target: 'phone', source: { scim: 'phone' } },
        { drop: { when: { source: { constant: 'x' }, matches: '(?=y)' } } },
      ],
    });
    expect(errors.map((e) => [e.rule, e.field])).toEqual([
      [0, 'transform[1]'],
      [1, 'source.scim'],
      [2, 'drop.when.matches'],
      [null, 'rules'],
    ]);
  });
});
