// Admin regular expressions run on RE2, which matches in time linear in the input, so no pattern can
// stall a sync (`(a+)+$` is harmless). Decisions: patterns are case-sensitive and unanchored like a
// JavaScript RegExp (write `(?i)` or `^...$`); `replace` alone takes flags, only from `gims`, because
// RE2 silently ignores letters it does not know; a refused pattern's message carries RE2's complaint
// and what RE2 lacks, so an admin who wrote a lookahead learns why.
import RE2 from 're2';
import { MappingProblem } from './problem';

export const REPLACE_FLAGS = 'gims';

/** Throws MappingProblem unless `flags` are distinct letters from `gims`. */
export function checkFlags(flags: string): void {
  for (const [i, flag] of [...flags].entries()) {
    if (!REPLACE_FLAGS.includes(flag)) throw new MappingProblem(`flag "${flag}" is not one of ${[...REPLACE_FLAGS].join(', ')}`);
    if (flags.indexOf(flag) !== i) throw new MappingProblem(`flag "${flag}" is given twice`);
  }
}

/** Compiles an RE2 pattern; throws MappingProblem for an empty, invalid or RE2-unsupported pattern. */
export function compilePattern(source: string, flags = ''): RE2 {
  if (source === '') throw new MappingProblem('must be a non-empty RE2 pattern');
  checkFlags(flags);
  try {
    return new RE2(source, flags);
  } catch (e) {
    // RE2 throws a SyntaxError from the addon's realm, which is not `instanceof Error` under Jest's vm.
    const complaint = typeof e === 'object' && e !== null && 'message' in e ? String(e.message) : String(e);
    throw new MappingProblem(
      `/${source}/ is not a valid RE2 pattern (${complaint}); RE2 has no lookahead, lookbehind or backreferences`,
    );
  }
}
