// Name and pattern matching shared by every list setting (onlyAssign, neverAssign, neverRemove,
// requiredGroups) and by manual mappings. Decisions: names compare case-insensitively, as the
// directory's lower() unique indexes do; patterns run on RE2 (linear time, so an admin pattern cannot
// stall a sync), case-insensitive and unanchored like a JavaScript RegExp test (write ^...$ to anchor);
// compiled patterns are cached by source because the same few patterns run on every evaluation.
import RE2 from 're2';
import type { GroupMatcher } from './settings';

const PATTERN_CACHE_LIMIT = 500;
const compiled = new Map<string, RE2>();

export function nameKey(name: string): string {
  return name.toLowerCase();
}

export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

/** Compiles an admin pattern; throws RE2's SyntaxError for invalid or RE2-unsupported syntax. */
export function compilePattern(source: string): RE2 {
  const hit = compiled.get(source);
  if (hit) return hit;
  const re = new RE2(source, 'i');
  if (compiled.size >= PATTERN_CACHE_LIMIT) compiled.clear();
  compiled.set(source, re);
  return re;
}

function matchesGroup(matcher: GroupMatcher, name: string): boolean {
  return typeof matcher === 'string' ? sameName(matcher, name) : compilePattern(matcher.pattern).test(name);
}

/** The index of the first entry matching `name`, or -1. */
export function firstMatch(matchers: readonly GroupMatcher[], name: string): number {
  return matchers.findIndex((m) => matchesGroup(m, name));
}

export function quote(name: string): string {
  return `'${name}'`;
}

/** `'eng'` for a name, `/^eng-/` for a pattern. */
export function describeMatcher(matcher: GroupMatcher): string {
  return typeof matcher === 'string' ? quote(matcher) : `/${matcher.pattern}/`;
}
