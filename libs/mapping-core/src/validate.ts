// validateMapping: admin JSON in, a typed Mapping or every error at once out. Each error names the rule
// (its index in `rules`, null for the mapping itself) and the field inside it (`source.firstOf[1].scim`,
// `transform[0].replace.pattern`), and its message starts with both, so it reads on its own. Decisions:
// unknown keys are refused, so a typo never silently drops a setting; a target takes one rule (fallbacks
// belong in firstOf); a mapping needs a `username` rule, which can neither clear nor default (a shared
// username is never right); RE2 patterns, SCIM paths and templates are checked by compiling them with
// the compilers evaluate uses, so what validates is what runs.
import {
  ON_EMPTY_POLICIES,
  TRANSFORMATION_NAMES,
  isDropRule,
  type Condition,
  type FieldRule,
  type Mapping,
  type OnEmpty,
  type Rule,
  type Source,
  type Transformation,
} from './mapping';
import { checkFlags, compilePattern } from './patterns';
import { MappingProblem } from './problem';
import { RECORD_KINDS, type RecordKind } from './record';
import { compileAttributeSource, compileTemplate } from './sources';
import { CUSTOM_TARGET_PREFIX, DIRECTORY_FIELDS, parseTarget, type Target } from './targets';
import { isObject, parseBoolean } from './values';

export interface MappingError {
  /** Index of the rule in `rules`; null for an error in the mapping itself. */
  rule: number | null;
  /** Where in the rule (or, for the mapping, which key): `source.scim`, `transform[1].split.index`. */
  field: string;
  message: string;
}

export type MappingValidation = { ok: true; mapping: Mapping } | { ok: false; errors: MappingError[] };

const SOURCE_KINDS = ['scim', 'ldap', 'constant', 'template', 'firstOf'] as const;
/** Deep enough for any real fallback chain, shallow enough that hostile input cannot exhaust the stack. */
const MAX_SOURCE_DEPTH = 8;
const TRANSFORMATION_KEYS = ['replace', 'split', 'map', 'prefix', 'suffix'] as const;
const CONDITION_TESTS = ['matches', 'equals', 'empty'] as const;
const TRANSFORMATION_LIST = `${TRANSFORMATION_NAMES.join(', ')}, or an object with one of ${TRANSFORMATION_KEYS.join(', ')}`;

function quoteList(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}

/** Reads one rule (or the mapping's own keys), collecting errors; on an error it returns a placeholder. */
class Reader {
  constructor(
    private readonly errors: MappingError[],
    private readonly rule: number | null,
    private readonly label: string,
  ) {}

  fail(field: string, problem: string): void {
    const where = [this.label, field].filter((part) => part !== '').join(', ');
    this.errors.push({ rule: this.rule, field, message: where === '' ? problem : `${where}: ${problem}` });
  }

  /** Runs a compiler; its MappingProblem becomes an error at `field`. */
  check(field: string, compile: () => unknown): void {
    try {
      compile();
    } catch (e) {
      if (!(e instanceof MappingProblem)) throw e;
      this.fail(field, e.message);
    }
  }

  /** An object with only the given keys, or an empty placeholder after reporting `expected`. */
  section(value: unknown, field: string, keys: readonly string[], expected: string): Record<string, unknown> {
    if (!isObject(value)) {
      this.fail(field, `must be ${expected}`);
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(field === '' ? key : `${field}.${key}`, `unknown key; expected one of ${quoteList(keys)}`);
    }
    return value;
  }

  text(value: unknown, field: string, allowEmpty = false): string {
    if (typeof value !== 'string' || (!allowEmpty && value === '')) {
      this.fail(field, allowEmpty ? 'must be a string' : 'must be a non-empty string');
      return '';
    }
    return value;
  }

  list<T>(value: unknown, field: string, item: (value: unknown, field: string) => T): T[] {
    if (!Array.isArray(value)) {
      this.fail(field, 'must be a list');
      return [];
    }
    return value.map((v, i) => item(v, `${field}[${i}]`));
  }

  pattern(value: unknown, field: string): string {
    const source = this.text(value, field);
    if (source !== '') this.check(field, () => compilePattern(source));
    return source;
  }

  /**
   * The one key of `value` among `keys`, or undefined after reporting. When none is present and an
   * unknown key was already reported (a misspelt kind), that report says it all.
   */
  oneOf(value: Record<string, unknown>, field: string, keys: readonly string[], allowed: readonly string[], what: string): string | undefined {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length === 1) return present[0];
    if (present.length > 1) this.fail(field, `has ${quoteList(present)}; give only one`);
    else if (Object.keys(value).every((k) => allowed.includes(k))) this.fail(field, `needs one of ${quoteList(keys)} (${what})`);
    return undefined;
  }
}

function readSource(read: Reader, kind: RecordKind, value: unknown, field: string, depth = 1): Source {
  const expected = `a source: an object with one of ${quoteList(SOURCE_KINDS)}`;
  const keys = [...SOURCE_KINDS, 'matches'];
  const source = read.section(value, field, keys, expected);
  if (!isObject(value)) return { constant: '' };
  const sourceKind = read.oneOf(source, field, SOURCE_KINDS, keys, 'the kind of source');
  const matches = source.matches === undefined ? {} : { matches: read.pattern(source.matches, `${field}.matches`) };
  const at = `${field}.${sourceKind}`;
  switch (sourceKind) {
    case 'scim':
    case 'ldap': {
      const text = read.text(source[sourceKind], at);
      if (text !== '') read.check(at, () => compileAttributeSource(sourceKind, text, kind));
      return sourceKind === 'scim' ? { scim: text, ...matches } : { ldap: text, ...matches };
    }
    case 'constant':
      return { constant: read.text(source.constant, at), ...matches };
    case 'template': {
      const text = read.text(source.template, at);
      if (text !== '') read.check(at, () => compileTemplate(text, kind));
      return { template: text, ...matches };
    }
    case 'firstOf': {
      if (depth >= MAX_SOURCE_DEPTH) {
        read.fail(at, `nests sources deeper than ${MAX_SOURCE_DEPTH} levels`);
        return { constant: '' };
      }
      const alternatives = read.list(source.firstOf, at, (v, f) => readSource(read, kind, v, f, depth + 1));
      if (Array.isArray(source.firstOf) && alternatives.length === 0) read.fail(at, 'must list at least one source');
      return { firstOf: alternatives, ...matches };
    }
    default:
      return { constant: '' };
  }
}

function readTransformation(read: Reader, value: unknown, field: string): Transformation {
  if (typeof value === 'string') {
    const named = TRANSFORMATION_NAMES.find((n) => n === value);
    if (!named) read.fail(field, `unknown transformation "${value}"; expected ${TRANSFORMATION_LIST}`);
    return named ?? 'trim';
  }
  const t = read.section(value, field, TRANSFORMATION_KEYS, `a transformation: ${TRANSFORMATION_LIST}`);
  if (!isObject(value)) return 'trim';
  const key = read.oneOf(t, field, TRANSFORMATION_KEYS, TRANSFORMATION_KEYS, 'the kind of transformation');
  const at = `${field}.${key}`;
  switch (key) {
    case 'replace': {
      const r = read.section(t.replace, at, ['pattern', 'with', 'flags'], 'an object { "pattern", "with", "flags"? }');
      const flags = r.flags === undefined ? undefined : read.text(r.flags, `${at}.flags`);
      if (flags !== undefined) read.check(`${at}.flags`, () => checkFlags(flags));
      return {
        replace: {
          pattern: read.pattern(r.pattern, `${at}.pattern`),
          with: read.text(r.with, `${at}.with`, true),
          ...(flags !== undefined ? { flags } : {}),
        },
      };
    }
    case 'split': {
      const s = read.section(t.split, at, ['separator', 'index'], 'an object { "separator", "index" }');
      const index = Number.isInteger(s.index) ? (s.index as number) : 0;
      if (!Number.isInteger(s.index)) read.fail(`${at}.index`, 'must be a whole number (negative counts from the end)');
      return { split: { separator: read.text(s.separator, `${at}.separator`), index } };
    }
    case 'map': {
      const m = read.section(t.map, at, ['table', 'default'], 'an object { "table", "default"? }');
      // fromEntries defines own properties, so a "__proto__" entry stays an entry.
      const table: Record<string, string> = isObject(m.table)
        ? Object.fromEntries(Object.entries(m.table).map(([from, to]) => [from, read.text(to, `${at}.table.${from}`, true)]))
        : {};
      if (!isObject(m.table)) read.fail(`${at}.table`, 'must be an object of value-to-value pairs');
      const fallback = m.default === undefined ? {} : { default: read.text(m.default, `${at}.default`, true) };
      return { map: { table, ...fallback } };
    }
    case 'prefix':
      return { prefix: read.text(t.prefix, at) };
    case 'suffix':
      return { suffix: read.text(t.suffix, at) };
    default:
      return 'trim';
  }
}

function readCondition(read: Reader, kind: RecordKind, value: unknown, field: string): Condition {
  const keys = ['source', ...CONDITION_TESTS];
  const c = read.section(value, field, keys, `a condition { "source", and one of ${quoteList(CONDITION_TESTS)} }`);
  if (!isObject(value)) return { source: { constant: '' }, empty: true };
  const source = readSource(read, kind, c.source, `${field}.source`);
  const test = read.oneOf(c, field, CONDITION_TESTS, keys, 'the test');
  switch (test) {
    case 'matches':
      return { source, matches: read.pattern(c.matches, `${field}.matches`) };
    case 'equals': {
      const equals = read.text(c.equals, `${field}.equals`, true);
      if (equals === '') read.fail(`${field}.equals`, 'must not be empty; use "empty": true to test for no value');
      return { source, equals };
    }
    case 'empty':
      if (typeof c.empty !== 'boolean') read.fail(`${field}.empty`, 'must be true or false');
      return { source, empty: c.empty === true };
    default:
      return { source, empty: true };
  }
}

function readTarget(read: Reader, value: unknown): Target {
  const text = read.text(value, 'target');
  if (text === '' || parseTarget(text)) return text as Target;
  if (text.startsWith(CUSTOM_TARGET_PREFIX)) {
    read.fail('target', `"${text.slice(CUSTOM_TARGET_PREFIX.length)}" is not a custom attribute name: a letter, then up to 63 letters, digits, "_", "." or "-"`);
  } else {
    read.fail('target', `unknown target "${text}"; expected one of ${DIRECTORY_FIELDS.join(', ')}, or custom:<name>`);
  }
  return text as Target;
}

/** Checks that rule-written text is usable as `active`: "true" or "false". */
function checkActiveText(read: Reader, text: string, field: string): void {
  if (parseBoolean(text) === undefined) read.fail(field, `"${text}" is not a value for active; use "true" or "false"`);
}

function readFieldRule(read: Reader, kind: RecordKind, rule: Record<string, unknown>): FieldRule {
  read.section(rule, '', ['target', 'source', 'transform', 'onEmpty', 'default'], 'an object');
  const target = readTarget(read, rule.target);
  const source = readSource(read, kind, rule.source, 'source');
  const transform = rule.transform === undefined ? undefined : read.list(rule.transform, 'transform', (v, f) => readTransformation(read, v, f));
  let onEmpty: OnEmpty | undefined;
  if (rule.onEmpty !== undefined) {
    onEmpty = ON_EMPTY_POLICIES.find((p) => p === rule.onEmpty);
    if (!onEmpty) read.fail('onEmpty', `must be one of ${quoteList(ON_EMPTY_POLICIES)}`);
  }
  let fallback: string | undefined;
  if (onEmpty === 'default') {
    fallback = read.text(rule.default, 'default');
    if (target === 'active' && fallback !== '') checkActiveText(read, fallback, 'default');
  } else if (rule.default !== undefined) {
    read.fail('default', 'is used only with "onEmpty": "default"');
  }
  if (target === 'username' && (onEmpty === 'clear' || onEmpty === 'default')) {
    read.fail('onEmpty', `a username cannot be ${onEmpty === 'clear' ? 'cleared' : 'defaulted'}; use "skip" (the default) or "keep"`);
  }
  if (target === 'active' && 'constant' in source && source.constant !== '' && !transform?.length) {
    checkActiveText(read, source.constant, 'source.constant');
  }
  return {
    target,
    source,
    ...(transform !== undefined ? { transform } : {}),
    ...(onEmpty !== undefined ? { onEmpty } : {}),
    ...(fallback !== undefined ? { default: fallback } : {}),
  };
}

function readRule(errors: MappingError[], kind: RecordKind, value: unknown, index: number): Rule {
  const isDrop = isObject(value) && value.drop !== undefined;
  const target = isObject(value) && typeof value.target === 'string' ? value.target : undefined;
  const label = `rules[${index}]${isDrop ? ' (drop)' : target !== undefined ? ` (${target})` : ''}`;
  const read = new Reader(errors, index, label);
  if (!isObject(value)) {
    read.fail('', 'must be an object: a field rule { "target", "source", ... } or a drop rule { "drop": { "when": ... } }');
    return { drop: { when: { source: { constant: '' }, empty: true } } };
  }
  if (!isDrop) return readFieldRule(read, kind, value);
  read.section(value, '', ['drop'], 'an object');
  const drop = read.section(value.drop, 'drop', ['when'], 'an object { "when": <condition> }');
  return { drop: { when: readCondition(read, kind, drop.when, 'drop.when') } };
}

/** The key under which two rules write the same place: the field, or the custom name ignoring case. */
function targetSlot(target: string): string | undefined {
  const parsed = parseTarget(target);
  if (!parsed) return undefined;
  return parsed.kind === 'field' ? parsed.field : `${CUSTOM_TARGET_PREFIX}${parsed.name.toLowerCase()}`;
}

function checkTargets(errors: MappingError[], rules: readonly Rule[]): void {
  const writer = new Map<string, number>();
  rules.forEach((rule, index) => {
    if (isDropRule(rule)) return;
    const slot = targetSlot(rule.target);
    if (slot === undefined) return;
    const first = writer.get(slot);
    if (first === undefined) writer.set(slot, index);
    else {
      new Reader(errors, index, `rules[${index}] (${rule.target})`).fail(
        'target',
        `rules[${first}] already writes ${rule.target}; a target takes one rule (put fallbacks in firstOf)`,
      );
    }
  });
  if (!writer.has('username')) new Reader(errors, null, '').fail('rules', 'no rule has target "username"; every mapping needs one');
}

export function validateMapping(input: unknown): MappingValidation {
  const errors: MappingError[] = [];
  const root = new Reader(errors, null, '');
  if (!isObject(input)) {
    root.fail('', 'a mapping must be an object { "kind": "scim" | "ldap", "rules": [...] }');
    return { ok: false, errors };
  }
  const mapping = root.section(input, '', ['kind', 'rules'], 'an object');
  const kind = RECORD_KINDS.find((k) => k === mapping.kind);
  if (!kind) root.fail('kind', `must be "scim" or "ldap" (the kind of record the connector produces)`);
  if (!Array.isArray(mapping.rules)) root.fail('rules', 'must be a list of rules');
  if (!kind || !Array.isArray(mapping.rules)) return { ok: false, errors };
  const rules = mapping.rules.map((rule, index) => readRule(errors, kind, rule, index));
  checkTargets(errors, rules);
  return errors.length === 0 ? { ok: true, mapping: { kind, rules } } : { ok: false, errors };
}
