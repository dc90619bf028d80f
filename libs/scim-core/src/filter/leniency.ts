// What IdPs send that the RFC 7644 filter grammar does not allow, rewritten into what it does before
// the strict parser sees it. Microsoft's SCIM validator and older Entra ID examples write comparison
// values without quotes (`externalId eq jyoung`, `name.familyName eq Employee`,
// `meta.created gt 2015-10-10T14:38:21.8617979-07:00`). A bare value after a comparison operator is
// read as a string unless it is `true`, `false`, `null` or a JSON number; everything else is left
// exactly as written, so a filter that is already valid comes out unchanged.

import type { Filter } from './ast';
import { type FilterParseOptions, parseFilter } from './parser';

const COMPARE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const LITERALS = new Set(['true', 'false', 'null']);
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

interface Piece {
  kind: 'string' | 'word' | 'punct' | 'space';
  text: string;
}

function pieces(input: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      out.push({ kind: 'string', text: input.slice(i, j + 1) });
      i = j + 1;
    } else if (/\s/.test(c)) {
      let j = i;
      while (j < input.length && /\s/.test(input[j])) j++;
      out.push({ kind: 'space', text: input.slice(i, j) });
      i = j;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      out.push({ kind: 'punct', text: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !/[\s()[\]"]/.test(input[j])) j++;
      out.push({ kind: 'word', text: input.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** Quotes the bare string values of comparisons; returns the filter unchanged when it has none. */
export function quoteBareFilterValues(filter: string): string {
  const all = pieces(filter);
  const significant = all.filter((p) => p.kind !== 'space');
  for (let k = 2; k < significant.length; k++) {
    const [path, op, value] = [significant[k - 2], significant[k - 1], significant[k]];
    const isComparison = (path.kind === 'word' || path.text === ']') && op.kind === 'word' && COMPARE_OPS.has(op.text.toLowerCase());
    if (!isComparison || value.kind !== 'word') continue;
    if (LITERALS.has(value.text.toLowerCase()) || NUMBER.test(value.text)) continue;
    value.text = JSON.stringify(value.text);
  }
  return all.map((p) => p.text).join('');
}

/** parseFilter for what IdPs send: bare string values are read as strings first. */
export function parseIdpFilter(text: string, options: FilterParseOptions = {}): Filter {
  return parseFilter(quoteBareFilterValues(text), options);
}
