// Compiles a rule's transformations into one function over the string value, applied in order.
// Decisions: once a step leaves the value empty or blank the chain stops and the rule has no value (so
// `prefix` cannot turn "nothing" into "x-"); `split` takes a literal separator and yields nothing for
// an index out of range; `map` compares exactly (put `lowercase` before it to ignore case) and leaves
// unlisted values alone unless it has a `default`; `adAccountActive` reads an Active Directory
// userAccountControl number and yields "false" when ACCOUNTDISABLE (0x2) is set, "true" otherwise, and
// nothing for a value that is not a whole number.
import type { Transformation } from './mapping';
import { compilePattern } from './patterns';
import { hasValue } from './values';

export type Transform = (value: string) => string;

const AD_ACCOUNTDISABLE = 0x2;

function adAccountActive(value: string): string {
  const text = value.trim();
  if (!/^-?[0-9]+$/.test(text)) return '';
  return (Number(text) & AD_ACCOUNTDISABLE) !== 0 ? 'false' : 'true';
}

export function compileTransformation(t: Transformation): Transform {
  if (t === 'lowercase') return (v) => v.toLowerCase();
  if (t === 'uppercase') return (v) => v.toUpperCase();
  if (t === 'trim') return (v) => v.trim();
  if (t === 'adAccountActive') return adAccountActive;
  if ('replace' in t) {
    const re = compilePattern(t.replace.pattern, t.replace.flags);
    const replacement = t.replace.with;
    return (v) => v.replace(re, replacement);
  }
  if ('split' in t) {
    const { separator, index } = t.split;
    return (v) => {
      const pieces = v.split(separator);
      return pieces[index < 0 ? pieces.length + index : index] ?? '';
    };
  }
  if ('map' in t) {
    const table = new Map(Object.entries(t.map.table));
    const fallback = t.map.default;
    return (v) => table.get(v) ?? fallback ?? v;
  }
  if ('prefix' in t) return (v) => t.prefix + v;
  return (v) => v + t.suffix;
}

/** The whole chain; the result is undefined when any step leaves no value. */
export function compileTransformations(list: readonly Transformation[]): (value: string) => string | undefined {
  const steps = list.map(compileTransformation);
  return (value) => {
    let v = value;
    for (const step of steps) {
      v = step(v);
      if (!hasValue(v)) return undefined;
    }
    return v;
  };
}
