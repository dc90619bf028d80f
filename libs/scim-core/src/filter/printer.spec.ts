import type { AttrPath, CompareOp, Filter, ScimValue } from './ast';
import { parseFilter, parseScimDateTime } from './parser';
import { printAttrPath, printFilter, printValue } from './printer';

/** mulberry32: a seeded generator, so that a failure is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Keywords and operators are deliberately among the names: SCIM does not reserve them.
const NAMES = ['userName', 'emails', 'value', 'not', 'and', 'or', 'pr', 'eq', 'true', 'null', '$ref', 'a-b_c'];
const SCHEMAS = ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:acme:scim:ext:1.0:Thing'];
const OPS: CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const STRINGS = ['', 'plain', 'quo"te', 'back\\slash', 'slash/', 'ctl\u0001\u001f', 'new\nline\ttab', 'é€😀', '\ud800 lone', ')] and or not ('];
const NUMBERS = [0, -0, 1, -42, 3.25, 1e21, 1.5e-7, Number.MAX_SAFE_INTEGER, -Number.MIN_VALUE];

function generator(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const path = (relative: boolean): AttrPath => ({
    ...(!relative && r() < 0.2 ? { schema: pick(SCHEMAS) } : {}),
    attr: pick(NAMES),
    ...(!relative && r() < 0.3 ? { subAttr: pick(NAMES) } : {}),
  });
  const value = (): ScimValue => pick<() => ScimValue>([() => pick(STRINGS), () => pick(NUMBERS), () => r() < 0.5, () => null])();
  const filter = (depth: number, inValuePath: boolean): Filter => {
    const choice = depth <= 0 ? r() * 0.4 : r();
    if (choice < 0.25) return { kind: 'compare', path: path(inValuePath), op: pick(OPS), value: value() };
    if (choice < 0.4) return { kind: 'present', path: path(inValuePath) };
    if (choice < 0.75) return { kind: 'logical', op: r() < 0.5 ? 'and' : 'or', left: filter(depth - 1, inValuePath), right: filter(depth - 1, inValuePath) };
    if (choice < 0.88 || inValuePath) return { kind: 'not', filter: filter(depth - 1, inValuePath) };
    return { kind: 'valuePath', path: { attr: pick(NAMES) }, filter: filter(depth - 1, true) };
  };
  return () => filter(5, false);
}

describe('printFilter', () => {
  it.each(Array.from({ length: 20 }, (_, i) => i + 1))('round-trips 50 random filters from seed %i', (seed) => {
    const next = generator(seed);
    for (let n = 0; n < 50; n++) {
      const f = next();
      const text = printFilter(f);
      expect({ text, ast: parseFilter(text) }).toEqual({ text, ast: f });
    }
  });

  it('parenthesises only where the tree needs it', () => {
    const p = (text: string) => printFilter(parseFilter(text));
    expect(p('((a pr))')).toBe('a pr');
    expect(p('(a pr and b pr) and c pr')).toBe('a pr and b pr and c pr');
    expect(p('a pr and (b pr and c pr)')).toBe('a pr and (b pr and c pr)');
    expect(p('(a pr or b pr) or c pr')).toBe('a pr or b pr or c pr');
    expect(p('(a pr and b pr) or (c pr and d pr)')).toBe('a pr and b pr or c pr and d pr');
    expect(p('(a pr or b pr) and (c pr or d pr)')).toBe('(a pr or b pr) and (c pr or d pr)');
    expect(p('NOT(a pr)')).toBe('not (a pr)');
    expect(p('emails[(type eq "work")]')).toBe('emails[type eq "work"]');
  });

  it('prints values as JSON literals', () => {
    expect(printValue('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(printValue(-0)).toBe('-0');
    expect(printValue(1e21)).toBe('1e+21');
    expect(printValue(true)).toBe('true');
    expect(printValue(null)).toBe('null');
  });

  it('prints paths with their schema', () => {
    expect(printAttrPath({ schema: 'urn:x:y', attr: 'a', subAttr: 'b' })).toBe('urn:x:y:a.b');
    expect(printAttrPath({ schema: 'urn:x:y', attr: '' })).toBe('urn:x:y');
    expect(printAttrPath({ attr: 'a' })).toBe('a');
  });
});

describe('parseScimDateTime', () => {
  it.each<[string, number | undefined]>([
    ['2011-05-13T04:42:34Z', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-05-13T04:42:34', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-05-13T04:42:34.5Z', Date.UTC(2011, 4, 13, 4, 42, 34, 500)],
    ['2011-05-13T06:42:34+02:00', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-05-13t04:42:34z', Date.UTC(2011, 4, 13, 4, 42, 34)],
    ['2011-02-30T00:00:00Z', undefined],
    ['2011-05-13T25:00:00Z', undefined],
    ['2011-05-13', undefined],
    ['2011-05-13 04:42:34Z', undefined],
    ['yesterday', undefined],
  ])('%s', (text, expected) => {
    expect(parseScimDateTime(text)).toBe(expected);
  });
});

describe('number literals', () => {
  it('refuses numbers outside the double range', () => {
    expect(() => parseFilter('x eq 1e400')).toThrow('Number "1e400" at 5 is out of range');
  });
});
