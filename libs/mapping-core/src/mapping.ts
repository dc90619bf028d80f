// The rule format admins write (README.md documents it with examples). A mapping is an ordered list of
// rules for one connector: field rules (source -> transformations -> target, with a policy for when
// nothing comes out) and drop rules (leave the record out of the directory when a condition holds).
// These are plain JSON-shaped types: validateMapping produces them from admin input, defaultMapping from
// a preset, compileMapping turns them into something evaluate can run.
import type { RecordKind } from './record';
import type { Target } from './targets';

/** Any source may carry `matches`: it then yields its value only when the value matches that RE2 pattern. */
interface SourceFilter {
  matches?: string;
}

export type Source =
  /** A SCIM path: `userName`, `emails[type eq "work"].value`, `urn:...:enterprise:2.0:User:department`. */
  | (SourceFilter & { scim: string })
  /** An LDAP attribute name: `mail`, `sAMAccountName`. */
  | (SourceFilter & { ldap: string })
  | (SourceFilter & { constant: string })
  /** Text with `{path}` placeholders, each a source path of the mapping's kind; `{{` and `}}` are braces. */
  | (SourceFilter & { template: string })
  /** The first source that yields a value. */
  | (SourceFilter & { firstOf: Source[] });

export const TRANSFORMATION_NAMES = ['lowercase', 'uppercase', 'trim', 'adAccountActive'] as const;
export type NamedTransformation = (typeof TRANSFORMATION_NAMES)[number];

export type Transformation =
  | NamedTransformation
  /** RE2 replacement; `with` may use `$1`, `$<name>`, `$&`; flags from `gims` (`g`: every match). */
  | { replace: { pattern: string; with: string; flags?: string } }
  /** The `index`-th piece of the value split on a literal separator; negative counts from the end. */
  | { split: { separator: string; index: number } }
  /** Exact value-to-value table; an unlisted value becomes `default`, or stays as it is without one. */
  | { map: { table: Record<string, string>; default?: string } }
  | { prefix: string }
  | { suffix: string };

/** What a field rule does when its source (after transformations) yields no value. */
export type OnEmpty = 'keep' | 'clear' | 'default' | 'skip';
export const ON_EMPTY_POLICIES: readonly OnEmpty[] = ['keep', 'clear', 'default', 'skip'];

export interface FieldRule {
  target: Target;
  source: Source;
  transform?: Transformation[];
  /** Defaults to `'skip'` for `username` and `'clear'` for every other target. */
  onEmpty?: OnEmpty;
  /** The value used when `onEmpty` is `'default'` (`'true'` or `'false'` for `active`). */
  default?: string;
}

export type Condition =
  | { source: Source; matches: string }
  | { source: Source; equals: string }
  | { source: Source; empty: boolean };

export interface DropRule {
  drop: { when: Condition };
}

export type Rule = FieldRule | DropRule;

export interface Mapping {
  /** The kind of record the connector produces; `scim` sources need `scim`, `ldap` sources `ldap`. */
  kind: RecordKind;
  rules: Rule[];
}

export function isDropRule(rule: Rule): rule is DropRule {
  return 'drop' in rule;
}

/** The policy in force when a rule does not name one. */
export function effectiveOnEmpty(rule: FieldRule): OnEmpty {
  return rule.onEmpty ?? (rule.target === 'username' ? 'skip' : 'clear');
}
