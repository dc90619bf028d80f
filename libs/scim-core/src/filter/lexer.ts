// Tokens of the RFC 7644 section 3.4.2.2 filter grammar (and of the 3.5.2 PATCH path, which reuses
// it): JSON string and number literals (RFC 8259), punctuation, and words. A word is an attribute
// path, an operator or a keyword; only the parser knows which, because SCIM keywords are not reserved
// (an attribute may be called `not` or `and`). Attribute paths are split here too, since the
// ATTRNAME and URI rules of the ABNF are lexical. Positions are 0-based offsets into the input.

import { ScimError, type ScimType } from '../errors';
import { RFC_SCHEMA_URNS } from '../schema/core-schemas';
import type { AttrPath } from './ast';

export type Punctuation = '(' | ')' | '[' | ']' | '.';

export type Token =
  | { kind: 'word'; text: string; pos: number }
  | { kind: 'string'; text: string; pos: number; value: string }
  | { kind: 'number'; text: string; pos: number; value: number }
  | { kind: Punctuation; text: string; pos: number }
  | { kind: 'eof'; text: ''; pos: number };

/** What the lexer and the path splitter need to know besides the text. */
export interface LexOptions {
  /** The error code for this input: `invalidFilter` for filters, `invalidPath` for paths. */
  scimType: ScimType;
  /** Noun for the input in messages ("filter", "path"). */
  subject: string;
}

const WORD_START = /[A-Za-z$]/;
const WORD_CHAR = /[A-Za-z0-9_.:$-]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
// RFC 7644 ABNF: ATTRNAME = ALPHA *(nameChar); "$ref" (RFC 7643 2.1) is why `$` is allowed too.
const ATTR_NAME = /^[A-Za-z$][A-Za-z0-9_$-]*$/;
// RFC 3986 scheme, then colon-separated non-empty segments (URNs contain dots: "2.0").
const SCHEMA_URI = /^[A-Za-z][A-Za-z0-9+.-]*(?::[A-Za-z0-9_.$+%-]+)+$/;

export function describeToken(t: Token, subject: string): string {
  switch (t.kind) {
    case 'eof':
      return `end of ${subject}`;
    case 'string':
      return `string ${t.text}`;
    case 'number':
      return `number ${t.text}`;
    default:
      return `token "${t.text}"`;
  }
}

export function tokenize(input: string, opts: LexOptions): Token[] {
  const fail = (detail: string): never => {
    throw new ScimError(400, opts.scimType, detail);
  };
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']' || c === '.') {
      tokens.push({ kind: c, text: c, pos: i });
      i++;
    } else if (c === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= input.length) fail(`Unterminated string starting at ${start}`);
        const ch = input[i];
        if (ch === '"') break;
        if (ch === '\\') {
          const e = input[i + 1];
          if (e === 'u') {
            const hex = input.slice(i + 2, i + 6);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail(`Invalid unicode escape "\\u${hex}" at ${i}`);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
          } else if (e !== undefined && ESCAPES[e] !== undefined) {
            value += ESCAPES[e];
            i += 2;
          } else {
            fail(e === undefined ? `Unterminated string starting at ${start}` : `Invalid escape "\\${e}" in string at ${i}`);
          }
        } else if (ch.charCodeAt(0) < 0x20) {
          const code = ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
          fail(`Unescaped control character U+${code} in string at ${i}`);
        } else {
          value += ch;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', text: input.slice(start, i), pos: start, value });
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(input);
      let end = m ? i + m[0].length : i;
      // "01", "1.", "1e", "12abc": the whole run is reported, not just its valid prefix.
      if (!m || (end < input.length && (WORD_CHAR.test(input[end]) || input[end] === '+'))) {
        while (end < input.length && (WORD_CHAR.test(input[end]) || input[end] === '+')) end++;
        fail(`Invalid number "${input.slice(i, Math.max(end, i + 1))}" at ${i}`);
      }
      const text = input.slice(i, end);
      const value = Number(text);
      if (!Number.isFinite(value)) fail(`Number "${text}" at ${i} is out of range`);
      tokens.push({ kind: 'number', text, pos: i, value });
      i = end;
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < input.length && WORD_CHAR.test(input[i])) i++;
      tokens.push({ kind: 'word', text: input.slice(start, i), pos: start });
    } else {
      fail(`Unexpected character "${c}" at ${i}`);
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: input.length });
  return tokens;
}

export interface PathOptions extends LexOptions {
  /** URNs that may stand alone as a path to a whole schema; defaults to the RFC 7643 ones. */
  schemaUrns?: readonly string[];
  /** Whether a whole-schema path (`attr: ''`) is acceptable here (PATCH paths, not filters). */
  allowWholeSchema: boolean;
}

/**
 * Splits one word into an attribute path (RFC 7644 3.10): `[URI ":"] ATTRNAME ["." subAttr]`.
 * The URI is everything up to the last colon, because attribute names contain no colon while URNs
 * contain dots ("2.0"), so only the text after the last colon can hold the sub-attribute dot.
 */
export function splitAttrPath(text: string, pos: number, opts: PathOptions): AttrPath {
  const fail = (detail: string): never => {
    throw new ScimError(400, opts.scimType, detail);
  };
  const lower = text.toLowerCase();
  const urns = opts.schemaUrns ?? RFC_SCHEMA_URNS;
  if (urns.some((u) => u.toLowerCase() === lower)) {
    if (!opts.allowWholeSchema) fail(`"${text}" at ${pos} names a schema, not an attribute`);
    return { schema: text, attr: '' };
  }
  const colon = text.lastIndexOf(':');
  const schema = colon >= 0 ? text.slice(0, colon) : undefined;
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  if (schema !== undefined && !SCHEMA_URI.test(schema)) fail(`Invalid schema URN "${schema}" in attribute path at ${pos}`);
  if (rest === '') fail(`Expected an attribute name after "${text}" at ${pos + text.length}`);
  const parts = rest.split('.');
  let offset = pos + colon + 1;
  for (const part of parts) {
    if (!ATTR_NAME.test(part)) {
      fail(part === '' ? `Empty attribute name in "${text}" at ${offset}` : `Invalid attribute name "${part}" at ${offset}`);
    }
    offset += part.length + 1;
  }
  if (parts.length > 2) fail(`Attribute path "${text}" at ${pos} has more than one sub-attribute`);
  return {
    ...(schema !== undefined ? { schema } : {}),
    attr: parts[0],
    ...(parts.length === 2 ? { subAttr: parts[1] } : {}),
  };
}
