import { ScimError } from '../errors';
import type { Filter } from './ast';
import { MAX_FILTER_DEPTH, parseFilter } from './parser';
import { printFilter } from './printer';

/** Every filter example of RFC 7644 section 3.4.2.2, in the order the section gives them. */
const RFC7644_FILTERS = [
  'userName Eq "john"',
  'Username eq "john"',
  'userName eq "bjensen"',
  'name.familyName co "O\'Malley"',
  'userName sw "J"',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"',
  'title pr',
  'meta.lastModified gt "2011-05-13T04:42:34Z"',
  'meta.lastModified ge "2011-05-13T04:42:34Z"',
  'meta.lastModified lt "2011-05-13T04:42:34Z"',
  'meta.lastModified le "2011-05-13T04:42:34Z"',
  'title pr and userType eq "Employee"',
  'title pr or userType eq "Intern"',
  'schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"',
  'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
  'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
  'userType eq "Employee" and (emails.type eq "work")',
  'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
  'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
];

/** Further shapes the grammar allows and identity providers send. */
const MORE_FILTERS = [
  'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName co "O\'Malley"',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Tour Operations"',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915"',
  'emails[type eq "work"].value eq "bjensen@example.com"',
  'emails[type eq "work" or primary eq true].value ew ".com"',
  'emails[not (type eq "home")]',
  'members[value eq "2819c223-7f76-453a-919d-413861904646"]',
  'groups.$ref co "Groups"',
  'a eq 1 and b eq 2 and c eq 3',
  'a eq 1 and (b eq 2 and c eq 3)',
  'a eq 1 or b eq 2 or c eq 3',
  'a eq 1 or (b eq 2 or c eq 3)',
  '(a eq 1 or b eq 2) and c eq 3',
  'not (not (a pr))',
  'x eq -1.5E+3 and y eq 0 and z eq 10e-2',
  'x eq null and y ne true and z eq false',
  'displayName eq "tab\\tquote\\"slash\\\\solidus\\/uni\\u00e9\\b\\f\\n\\r"',
  'not eq "an attribute called not"',
  'and eq "an attribute called and" or or pr',
  'a-b_c$d pr',
];

const cmp = (attr: string, op: string, value: unknown, extra: object = {}): Filter =>
  ({ kind: 'compare', path: { attr, ...extra }, op, value }) as Filter;

describe('parseFilter', () => {
  it.each(RFC7644_FILTERS)('parses and round-trips the RFC example %s', (text) => {
    const ast = parseFilter(text);
    expect(parseFilter(printFilter(ast))).toEqual(ast);
  });

  it.each(MORE_FILTERS)('parses and round-trips %s', (text) => {
    const ast = parseFilter(text);
    expect(parseFilter(printFilter(ast))).toEqual(ast);
  });

  it('prints a canonical form that is a fixed point', () => {
    for (const text of [...RFC7644_FILTERS, ...MORE_FILTERS]) {
      const printed = printFilter(parseFilter(text));
      expect(printFilter(parseFilter(printed))).toBe(printed);
    }
  });

  it('treats operators and keywords case-insensitively and keeps attribute names as written', () => {
    expect(parseFilter('userName Eq "john"')).toEqual(cmp('userName', 'eq', 'john'));
    expect(parseFilter('Username eq "john"')).toEqual(cmp('Username', 'eq', 'john'));
    expect(parseFilter('title PR AND active EQ TRUE Or x Eq NULL')).toEqual(parseFilter('title pr and active eq true or x eq null'));
    expect(parseFilter('NOT (a pr)')).toEqual({ kind: 'not', filter: { kind: 'present', path: { attr: 'a' } } });
  });

  it('builds the RFC precedence: and binds tighter than or', () => {
    const a = { kind: 'present', path: { attr: 'a' } } as const;
    const b = { kind: 'present', path: { attr: 'b' } } as const;
    const c = { kind: 'present', path: { attr: 'c' } } as const;
    expect(parseFilter('a pr or b pr and c pr')).toEqual({
      kind: 'logical',
      op: 'or',
      left: a,
      right: { kind: 'logical', op: 'and', left: b, right: c },
    });
    expect(parseFilter('a pr and b pr or c pr')).toEqual({
      kind: 'logical',
      op: 'or',
      left: { kind: 'logical', op: 'and', left: a, right: b },
      right: c,
    });
    expect(parseFilter('(a pr or b pr) and c pr')).toEqual({
      kind: 'logical',
      op: 'and',
      left: { kind: 'logical', op: 'or', left: a, right: b },
      right: c,
    });
    expect(printFilter(parseFilter('(a pr or b pr) and c pr'))).toBe('(a pr or b pr) and c pr');
    expect(printFilter(parseFilter('a pr or (b pr and c pr)'))).toBe('a pr or b pr and c pr');
  });

  it('parses RFC example 14 (ne, and, not, or) into the expected tree', () => {
    expect(parseFilter('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")')).toEqual({
      kind: 'logical',
      op: 'and',
      left: cmp('userType', 'ne', 'Employee'),
      right: {
        kind: 'not',
        filter: {
          kind: 'logical',
          op: 'or',
          left: cmp('emails', 'co', 'example.com'),
          right: cmp('emails', 'co', 'example.org', { subAttr: 'value' }),
        },
      },
    });
  });

  it('parses value paths with paths relative to the attribute', () => {
    expect(parseFilter('emails[type eq "work" and value co "@example.com"]')).toEqual({
      kind: 'valuePath',
      path: { attr: 'emails' },
      filter: { kind: 'logical', op: 'and', left: cmp('type', 'eq', 'work'), right: cmp('value', 'co', '@example.com') },
    });
  });

  it('desugars emails[type eq "work"].value eq "x" into one value path', () => {
    expect(parseFilter('emails[type eq "work"].value eq "x"')).toEqual(parseFilter('emails[type eq "work" and value eq "x"]'));
    expect(parseFilter('emails[type eq "work" or type eq "home"].value pr')).toEqual(
      parseFilter('emails[(type eq "work" or type eq "home") and value pr]'),
    );
  });

  it('splits URN-qualified paths at the last colon', () => {
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"')).toEqual(
      cmp('manager', 'eq', 'x', { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', subAttr: 'value' }),
    );
    expect(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"')).toEqual(
      cmp('userName', 'sw', 'J', { schema: 'urn:ietf:params:scim:schemas:core:2.0:User' }),
    );
  });

  it.each([
    ['"a\\"b"', 'a"b'],
    ['"a\\\\b"', 'a\\b'],
    ['"a\\/b"', 'a/b'],
    ['"\\b\\f\\n\\r\\t"', '\b\f\n\r\t'],
    ['"\\u00E9\\u20ac"', 'é€'],
    ['"\\ud83d\\ude00"', '😀'],
    ['""', ''],
    ['"O\'Malley"', "O'Malley"],
  ])('decodes the JSON string %s', (literal, value) => {
    expect(parseFilter(`x eq ${literal}`)).toEqual(cmp('x', 'eq', value));
  });

  it.each([
    ['0', 0],
    ['-0', -0],
    ['42', 42],
    ['-7', -7],
    ['3.25', 3.25],
    ['1e3', 1000],
    ['1E+3', 1000],
    ['25e-1', 2.5],
    ['-1.5e2', -150],
  ])('reads the JSON number %s', (literal, value) => {
    expect(parseFilter(`x gt ${literal}`)).toEqual(cmp('x', 'gt', value));
  });

  it.each([
    ['true', true],
    ['False', false],
    ['NULL', null],
  ])('reads the literal %s case-insensitively', (literal, value) => {
    expect(parseFilter(`x eq ${literal}`)).toEqual(cmp('x', 'eq', value));
  });

  it('accepts any whitespace between tokens', () => {
    expect(parseFilter('  userName\teq\n"john"  ')).toEqual(cmp('userName', 'eq', 'john'));
    expect(parseFilter('not(a pr)')).toEqual(parseFilter('not (a pr)'));
  });

  describe('refuses malformed filters with invalidFilter and the position of the fault', () => {
    it.each([
      ['', 'Empty filter'],
      ['   ', 'Empty filter'],
      ['userName eq "john")', 'Unexpected token ")" at 18'],
      ['(userName eq "john"', 'Expected ")" to close "(" at 0, found end of filter at 19'],
      ['userName eq', 'Expected a value (a string in double quotes, a number, true, false or null) after "eq" at 11, found end of filter'],
      ['userName eq john', 'Expected a value (a string in double quotes, a number, true, false or null) after "eq" at 12, found token "john"'],
      ['userName eq and b pr', 'after "eq" at 12, found token "and"'],
      ['userName "john"', 'Expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after "userName" at 9, found string "john"'],
      ['userName equals "john"', 'Expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after "userName" at 9, found token "equals"'],
      ['userName', 'after "userName" at 8, found end of filter'],
      ['title pr "x"', 'Operator "pr" at 6 takes no value, found string "x" at 9'],
      ['title pr true', 'Operator "pr" at 6 takes no value, found token "true" at 9'],
      ['title pr 1', 'Operator "pr" at 6 takes no value, found number 1 at 9'],
      ['userName eq "john', 'Unterminated string starting at 12'],
      ['userName eq "jo\\', 'Unterminated string starting at 12'],
      ['x eq "a\\x"', 'Invalid escape "\\x" in string at 7'],
      ['x eq "\\u12G4"', 'Invalid unicode escape "\\u12G4" at 6'],
      ['x eq "a\nb"', 'Unescaped control character U+000A in string at 7'],
      ['x eq 01', 'Invalid number "01" at 5'],
      ['x eq 1.', 'Invalid number "1." at 5'],
      ['x eq 1e', 'Invalid number "1e" at 5'],
      ['x eq -', 'Invalid number "-" at 5'],
      ['x eq 12abc', 'Invalid number "12abc" at 5'],
      ['x eq "a" #', 'Unexpected character "#" at 9'],
      ['userName eq "a" and', 'Expected an attribute path, "not" or "(" at 19, found end of filter'],
      ['userName eq "a" or or', 'found end of filter'],
      ['and userName eq "a"', 'Expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after "and" at 4, found token "userName"'],
      ['userName eq "a" userType eq "b"', 'Unexpected token "userType" at 16'],
      ['not a pr', 'Expected "(" after "not" at 4, found token "a"'],
      ['not', 'Expected "(" after "not" at 3, found end of filter'],
      ['()', 'Expected an attribute path, "not" or "(" at 1, found token ")"'],
      ['emails[]', 'Empty value filter at 6'],
      ['emails[type eq "work"', 'Expected "]" to close "[" at 6, found end of filter at 21'],
      ['emails[type eq "work")', 'Expected "]" to close "[" at 6, found token ")" at 21'],
      ['emails[type[value eq "x"] eq "work"]', 'Nested "[" at 11: a value filter cannot contain another value filter'],
      ['name.givenName[value eq "x"]', '"[" at 14 must follow a multi-valued attribute, not the sub-attribute "name.givenName"'],
      ['emails[type eq "work"].', 'Expected a sub-attribute name after "." at 22, found end of filter'],
      ['emails[type eq "work"].value', 'after "value" at 28, found end of filter'],
      ['emails[type eq "work"].value.x eq 1', 'Expected a sub-attribute name after "]." at 23, found "value.x"'],
      ['emails[type eq "work"] eq "x"', 'Unexpected token "eq" at 23'],
      ['name.givenName.x eq "a"', 'Attribute path "name.givenName.x" at 0 has more than one sub-attribute'],
      ['name..x eq "a"', 'Empty attribute name in "name..x" at 5'],
      ['name. eq "a"', 'Empty attribute name in "name." at 5'],
      ['urn:ietf:params:scim:schemas:core:2.0:User: eq "a"', 'Expected an attribute name after "urn:ietf:params:scim:schemas:core:2.0:User:" at 43'],
      ['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User eq "a"', 'names a schema, not an attribute'],
      ['urn::x eq "a"', 'Invalid schema URN "urn:" in attribute path at 0'],
      ['1abc eq "a"', 'Invalid number "1abc" at 0'],
      ['userName eq "a" and (', 'Expected an attribute path, "not" or "(" at 21, found end of filter'],
      ['[a eq 1]', 'Expected an attribute path, "not" or "(" at 0, found token "["'],
    ])('%j', (text, message) => {
      let error: unknown;
      try {
        parseFilter(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ScimError);
      expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
      expect((error as ScimError).detail).toContain(message);
    });
  });

  it('refuses filters nested deeper than the limit', () => {
    const deep = `${'('.repeat(MAX_FILTER_DEPTH + 1)}a pr${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    expect(() => parseFilter(deep)).toThrow(`Filter nests deeper than ${MAX_FILTER_DEPTH} levels at ${MAX_FILTER_DEPTH}`);
    const ok = `${'('.repeat(MAX_FILTER_DEPTH)}a pr${')'.repeat(MAX_FILTER_DEPTH)}`;
    expect(parseFilter(ok)).toEqual({ kind: 'present', path: { attr: 'a' } });
  });
});
