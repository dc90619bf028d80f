// Recursive-descent parser for the RFC 7644 section 3.4.2.2 filter grammar (Figure 1 ABNF):
//   filter   = attrExp / logExp / valuePath / *1"not" "(" filter ")"
// with `and` binding tighter than `or`, both left-associative, and keywords and operators matched
// case-insensitively. Beyond the ABNF it accepts `emails[type eq "work"].value eq "x"` (sent by some
// identity providers), desugared to `emails[type eq "work" and value eq "x"]`. The same machinery
// parses the RFC 7644 3.5.2 PATCH path (see path/attr-path.ts). validateFilter then checks a parsed
// filter against a resource type's schemas.

import { ScimError } from '../errors';
import type { ResourceSchema } from '../schema/resource-schema';
import type { AttributeDef, AttributeType } from '../schema/types';
import type { AttrPath, CompareOp, Filter, PatchPath, ScimValue } from './ast';
import { describeToken, splitAttrPath, tokenize, type PathOptions, type Token } from './lexer';
import { printAttrPath, printValue } from './printer';

export interface FilterParseOptions {
  /** Schema URNs known to the caller (defaults to the RFC 7643 ones); used to report bare URNs precisely. */
  schemaUrns?: readonly string[];
}

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
/** Deep enough for any real filter, shallow enough that a hostile one cannot exhaust the stack. */
export const MAX_FILTER_DEPTH = 32;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly opts: PathOptions,
  ) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private fail(detail: string): never {
    throw new ScimError(400, this.opts.scimType, detail);
  }

  private describe(t: Token): string {
    return describeToken(t, this.opts.subject);
  }

  private unexpected(t: Token): never {
    return this.fail(`Unexpected ${this.describe(t)} at ${t.pos}`);
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }

  private isOperator(t: Token): boolean {
    return t.kind === 'word' && (COMPARE_OPS.has(t.text.toLowerCase()) || t.text.toLowerCase() === 'pr');
  }

  private enter(open: Token): void {
    if (++this.depth > MAX_FILTER_DEPTH) this.fail(`Filter nests deeper than ${MAX_FILTER_DEPTH} levels at ${open.pos}`);
  }

  private close(kind: ')' | ']', open: Token): void {
    const t = this.peek();
    if (t.kind !== kind) this.fail(`Expected "${kind}" to close "${open.text}" at ${open.pos}, found ${this.describe(t)} at ${t.pos}`);
    this.next();
    this.depth--;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') this.unexpected(t);
  }

  /** orExp := andExp *("or" andExp) */
  parseOr(inValuePath: boolean): Filter {
    let left = this.parseAnd(inValuePath);
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { kind: 'logical', op: 'or', left, right: this.parseAnd(inValuePath) };
    }
    return left;
  }

  /** andExp := unary *("and" unary) */
  private parseAnd(inValuePath: boolean): Filter {
    let left = this.parseUnary(inValuePath);
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { kind: 'logical', op: 'and', left, right: this.parseUnary(inValuePath) };
    }
    return left;
  }

  private parseUnary(inValuePath: boolean): Filter {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      this.enter(t);
      const inner = this.parseOr(inValuePath);
      this.close(')', t);
      return inner;
    }
    if (t.kind !== 'word') {
      return this.fail(`Expected an attribute path, "not" or "(" at ${t.pos}, found ${this.describe(t)}`);
    }
    // `not` is a keyword only when a group follows: an attribute may be called "not".
    if (this.isWord(t, 'not')) {
      const after = this.peek(1);
      if (after.kind === '(') {
        this.next();
        this.next();
        this.enter(after);
        const inner = this.parseOr(inValuePath);
        this.close(')', after);
        return { kind: 'not', filter: inner };
      }
      if (!this.isOperator(after) && after.kind !== '[') {
        this.fail(`Expected "(" after "not" at ${after.pos}, found ${this.describe(after)}`);
      }
    }
    return this.parseAttrExpression(inValuePath);
  }

  private path(t: Token, allowWholeSchema = false): AttrPath {
    if (t.kind !== 'word') return this.fail(`Expected an attribute path at ${t.pos}, found ${this.describe(t)}`);
    return splitAttrPath(t.text, t.pos, { ...this.opts, allowWholeSchema });
  }

  /** attrExp, or valuePath with the optional trailing `.subAttr op value`. */
  private parseAttrExpression(inValuePath: boolean): Filter {
    const pathToken = this.next();
    const path = this.path(pathToken);
    if (this.peek().kind !== '[') return this.parseCondition(path, pathToken);
    const inner = this.parseValueFilter(path, pathToken, inValuePath);
    if (this.peek().kind !== '.') return { kind: 'valuePath', path, filter: inner };
    const sub = this.parseTrailingSubAttr();
    return { kind: 'valuePath', path, filter: { kind: 'logical', op: 'and', left: inner, right: this.parseCondition(sub.path, sub.token) } };
  }

  /** "[" valFilter "]" after `path`; value filters do not nest (RFC 7644 valFilter excludes valuePath). */
  parseValueFilter(path: AttrPath, pathToken: Token, inValuePath: boolean): Filter {
    const open = this.next();
    if (inValuePath) this.fail(`Nested "[" at ${open.pos}: a value filter cannot contain another value filter`);
    if (path.subAttr !== undefined) {
      this.fail(`"[" at ${open.pos} must follow a multi-valued attribute, not the sub-attribute "${pathToken.text}"`);
    }
    this.enter(open);
    if (this.peek().kind === ']') this.fail(`Empty value filter at ${open.pos}`);
    const inner = this.parseOr(true);
    this.close(']', open);
    return inner;
  }

  /** `"." subAttr` after "]": one plain attribute name. */
  parseTrailingSubAttr(): { path: AttrPath; token: Token } {
    const dot = this.next();
    const token = this.next();
    if (token.kind !== 'word') this.fail(`Expected a sub-attribute name after "." at ${dot.pos}, found ${this.describe(token)}`);
    const path = this.path(token);
    if (path.schema !== undefined || path.subAttr !== undefined) {
      this.fail(`Expected a sub-attribute name after "]." at ${token.pos}, found "${token.text}"`);
    }
    return { path, token };
  }

  /** `op value` or `pr` after an attribute path. */
  private parseCondition(path: AttrPath, pathToken: Token): Filter {
    const opToken = this.next();
    if (!this.isOperator(opToken)) {
      this.fail(
        `Expected an operator (eq, ne, co, sw, ew, gt, lt, ge, le, pr) after "${pathToken.text}" at ${opToken.pos}, found ${this.describe(opToken)}`,
      );
    }
    const op = opToken.text.toLowerCase();
    if (op === 'pr') {
      const after = this.peek();
      if (this.isValue(after)) this.fail(`Operator "pr" at ${opToken.pos} takes no value, found ${this.describe(after)} at ${after.pos}`);
      return { kind: 'present', path };
    }
    return { kind: 'compare', path, op: op as CompareOp, value: this.parseValue(opToken) };
  }

  private isValue(t: Token): boolean {
    return t.kind === 'string' || t.kind === 'number' || this.isWord(t, 'true') || this.isWord(t, 'false') || this.isWord(t, 'null');
  }

  /** compValue = false / null / true / number / string (RFC 7644 Figure 1; the literals case-insensitively). */
  private parseValue(opToken: Token): ScimValue {
    const t = this.next();
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    return this.fail(
      `Expected a value (a string in double quotes, a number, true, false or null) after "${opToken.text}" at ${t.pos}, found ${this.describe(t)}`,
    );
  }

  /** PATH = attrPath / valuePath [subAttr] (RFC 7644 3.5.2), or a whole extension schema URN. */
  parsePatchPath(): PatchPath {
    const first = this.peek();
    if (first.kind === 'eof') this.fail('Empty path');
    const pathToken = this.next();
    const path = this.path(pathToken, true);
    if (path.attr === '') {
      this.expectEnd();
      return path;
    }
    if (this.peek().kind !== '[') {
      this.expectEnd();
      return path;
    }
    const filter = this.parseValueFilter(path, pathToken, false);
    let subAttr: string | undefined;
    if (this.peek().kind === '.') subAttr = this.parseTrailingSubAttr().path.attr;
    this.expectEnd();
    return { ...path, filter, ...(subAttr !== undefined ? { subAttr } : {}) };
  }
}

/** Parses a filter; throws `ScimError(400, 'invalidFilter')` naming the offending position. */
export function parseFilter(text: string, options: FilterParseOptions = {}): Filter {
  const opts: PathOptions = { scimType: 'invalidFilter', subject: 'filter', allowWholeSchema: false, ...options };
  const tokens = tokenize(text, opts);
  if (tokens[0].kind === 'eof') throw new ScimError(400, 'invalidFilter', 'Empty filter');
  const parser = new Parser(tokens, opts);
  const filter = parser.parseOr(false);
  parser.expectEnd();
  return filter;
}

/**
 * The PATCH path grammar; errors are `invalidPath` because the whole "path" is malformed, even when
 * the fault is inside its "[...]". Exported for path/attr-path.ts, which is its public home.
 */
export function parsePatchPathSyntax(text: string, options: FilterParseOptions = {}): PatchPath {
  const opts: PathOptions = { scimType: 'invalidPath', subject: 'path', allowWholeSchema: true, ...options };
  return new Parser(tokenize(text, opts), opts).parsePatchPath();
}

// ---------------------------------------------------------------------------------------------
// Semantic checks against a resource type (RFC 7644 3.4.2.2: unknown attributes and comparisons
// the attribute type does not support are refused with invalidFilter).

/**
 * Milliseconds since the epoch for an xsd:dateTime (RFC 7643 2.3.5); no zone means UTC. Impossible
 * dates ("2011-02-30") are refused rather than rolled over as Date.parse would.
 */
export function parseScimDateTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i.exec(text);
  if (!m) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = m;
  const wall = Date.parse(`${date}T${time}Z`);
  if (!Number.isFinite(wall) || new Date(wall).toISOString().slice(0, 19) !== `${date}T${time}`) return undefined;
  const ms = Date.parse(`${date}T${time}${fraction}${zone.toUpperCase()}`);
  return Number.isFinite(ms) ? ms : undefined;
}

interface ValueScope {
  attribute: AttributeDef;
  /** How the filter named the attribute, for messages. */
  name: string;
}

function invalid(detail: string): never {
  throw new ScimError(400, 'invalidFilter', detail);
}

const ARTICLE: Record<AttributeType, string> = {
  string: 'a string',
  boolean: 'a Boolean',
  decimal: 'a decimal',
  integer: 'an integer',
  dateTime: 'a dateTime',
  reference: 'a reference',
  complex: 'a complex attribute',
  binary: 'a binary attribute',
};

/** Why `path` does not resolve, as precisely as the schema allows. */
function unresolved(path: AttrPath, schema: ResourceSchema): never {
  const text = printAttrPath(path);
  if (schema.wholeSchema(path)) invalid(`"${text}" names a schema, not an attribute`);
  if (path.schema !== undefined && !schema.schemaFor(path.schema)) {
    invalid(`Unknown schema "${path.schema}" in "${text}" for resource type ${schema.resourceType.name}`);
  }
  const top = path.schema !== undefined ? schema.attributeFor(path.schema, path.attr) : schema.resolve({ attr: path.attr })?.attribute;
  if (!top) invalid(`Unknown attribute "${text}" for resource type ${schema.resourceType.name}`);
  if (!top.subAttributes) invalid(`"${top.name}" has no sub-attributes, so "${text}" is unknown`);
  return invalid(`Unknown sub-attribute "${path.subAttr}" of "${top.name}"`);
}

/** The attribute a path designates, top-level or inside `emails[...]`. */
function designated(path: AttrPath, schema: ResourceSchema, scope?: ValueScope): { attribute: AttributeDef; name: string; subOfComplex: boolean } {
  const name = printAttrPath(path);
  if (scope) {
    if (path.schema !== undefined || path.subAttr !== undefined) {
      invalid(`"${name}" inside "${scope.name}[...]" must be a sub-attribute name of "${scope.name}"`);
    }
    const sub = schema.resolveSub(scope.attribute, path.attr);
    if (!sub) invalid(`Unknown sub-attribute "${path.attr}" of "${scope.name}"`);
    return { attribute: sub, name: `${scope.name}.${path.attr}`, subOfComplex: true };
  }
  const resolved = schema.resolve(path);
  if (!resolved) return unresolved(path, schema);
  return { attribute: resolved.target, name, subOfComplex: !!resolved.subAttribute };
}

/**
 * The attribute a comparison really compares: a multi-valued complex attribute named alone stands
 * for its `value` sub-attribute (RFC 7644 3.4.2.2 example `emails co "example.com"`); any other
 * complex attribute must be narrowed to a sub-attribute ("a fully qualified sub-attribute MUST be
 * specified"). Shared with the matcher.
 */
export function comparisonTarget(attribute: AttributeDef, name: string, op: CompareOp, schema: ResourceSchema): AttributeDef {
  if (attribute.type !== 'complex') return attribute;
  const value = schema.valueSubAttribute(attribute);
  if (value) return value;
  return invalid(`Cannot compare the complex attribute "${name}" with "${op}": name one of its sub-attributes, e.g. "${name}.${attribute.subAttributes?.[0]?.name ?? 'value'}"`);
}

function checkComparison(attribute: AttributeDef, name: string, op: CompareOp, value: ScimValue): void {
  const ordering = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  const shown = value === null ? 'null' : printValue(value);
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') invalid(`Operator "${op}" cannot compare "${name}" with null; only eq and ne can`);
    return;
  }
  switch (attribute.type) {
    case 'boolean':
      if (op !== 'eq' && op !== 'ne') invalid(`Operator "${op}" is not defined for "${name}", which is a Boolean`);
      if (typeof value !== 'boolean') invalid(`"${name}" is a Boolean; compare it with true or false, not ${shown}`);
      return;
    case 'integer':
    case 'decimal':
      if (substring) invalid(`Operator "${op}" applies to strings; "${name}" is ${ARTICLE[attribute.type]}`);
      if (typeof value !== 'number') invalid(`"${name}" is ${ARTICLE[attribute.type]}; compare it with a number, not ${shown}`);
      return;
    case 'dateTime':
      if (substring) invalid(`Operator "${op}" applies to strings; "${name}" is a dateTime`);
      if (typeof value !== 'string' || parseScimDateTime(value) === undefined) {
        invalid(`"${name}" is a dateTime; compare it with a quoted xsd:dateTime such as "2011-05-13T04:42:34Z", not ${shown}`);
      }
      return;
    case 'binary':
      if (ordering) invalid(`Operator "${op}" is not defined for "${name}", which is binary`);
      if (typeof value !== 'string') invalid(`"${name}" is a binary attribute; compare it with a base64 string, not ${shown}`);
      return;
    case 'string':
    case 'reference':
      if (typeof value !== 'string') invalid(`"${name}" is ${ARTICLE[attribute.type]}; compare it with a string in double quotes, not ${shown}`);
      return;
    case 'complex':
      return invalid(`Cannot compare the complex attribute "${name}" with "${op}"`);
  }
}

function check(f: Filter, schema: ResourceSchema, scope?: ValueScope): void {
  switch (f.kind) {
    case 'logical':
      check(f.left, schema, scope);
      check(f.right, schema, scope);
      return;
    case 'not':
      check(f.filter, schema, scope);
      return;
    case 'present':
      designated(f.path, schema, scope);
      return;
    case 'compare': {
      const d = designated(f.path, schema, scope);
      checkComparison(comparisonTarget(d.attribute, d.name, f.op, schema), d.name, f.op, f.value);
      return;
    }
    case 'valuePath': {
      const name = printAttrPath(f.path);
      if (scope) invalid(`"${name}[...]" cannot appear inside "${scope.name}[...]"`);
      const d = designated(f.path, schema);
      if (d.subOfComplex || d.attribute.type !== 'complex') {
        invalid(`"${name}[...]" needs a complex attribute, but "${name}" is ${ARTICLE[d.attribute.type]}`);
      }
      check(f.filter, schema, { attribute: d.attribute, name });
      return;
    }
  }
}

/** Throws `ScimError(400, 'invalidFilter')` for unknown attributes and unsupported comparisons. */
export function validateFilter(f: Filter, schema: ResourceSchema): void {
  check(f, schema);
}

/** As validateFilter, for a filter whose paths are relative to `parent` (the inside of `parent[...]`). */
export function validateValueFilter(f: Filter, parent: AttributeDef, schema: ResourceSchema): void {
  if (parent.type !== 'complex') invalid(`"${parent.name}[...]" needs a complex attribute, but "${parent.name}" is ${ARTICLE[parent.type]}`);
  check(f, schema, { attribute: parent, name: parent.name });
}
