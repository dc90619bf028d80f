// compileMapping: a validated Mapping turned into readers, transformation chains and drop conditions,
// with every RE2 pattern, SCIM path and template compiled once, for evaluate to run against many
// records. It throws MappingProblem on a mapping validateMapping would refuse (naming the rule);
// callers compile only validated or preset mappings. Drop rules are kept apart from field rules
// because evaluate checks them first.
import { compileCondition, type CompiledCondition } from './conditions';
import { effectiveOnEmpty, isDropRule, type Mapping, type OnEmpty, type Rule } from './mapping';
import { MappingProblem } from './problem';
import type { RecordKind } from './record';
import { compileSource, type CompiledSource } from './sources';
import { parseTarget, type ParsedTarget } from './targets';
import { compileTransformations } from './transformations';

export interface CompiledFieldRule {
  index: number;
  /** `rules[i] (target)`, for reasons. */
  label: string;
  target: ParsedTarget;
  source: CompiledSource;
  transform: (value: string) => string | undefined;
  onEmpty: OnEmpty;
  default?: string;
}

export interface CompiledDropRule {
  index: number;
  label: string;
  holds: CompiledCondition;
}

export interface CompiledMapping {
  readonly kind: RecordKind;
  readonly drops: readonly CompiledDropRule[];
  readonly fields: readonly CompiledFieldRule[];
  /** The rule writing `username`, which every mapping has. */
  readonly usernameRule: CompiledFieldRule;
}

/** How reasons name a rule: its place in `rules` and what it writes (validation messages agree). */
function ruleLabel(index: number, rule: Rule): string {
  return `rules[${index}] (${isDropRule(rule) ? 'drop' : rule.target})`;
}

function compileRule(rule: Rule, index: number, kind: RecordKind): CompiledDropRule | CompiledFieldRule {
  const label = ruleLabel(index, rule);
  if (isDropRule(rule)) return { index, label, holds: compileCondition(rule.drop.when, kind) };
  const target = parseTarget(rule.target);
  if (!target) throw new MappingProblem(`"${rule.target}" is not a target`);
  return {
    index,
    label,
    target,
    source: compileSource(rule.source, kind),
    transform: compileTransformations(rule.transform ?? []),
    onEmpty: effectiveOnEmpty(rule),
    ...(rule.default !== undefined ? { default: rule.default } : {}),
  };
}

export function compileMapping(mapping: Mapping): CompiledMapping {
  const drops: CompiledDropRule[] = [];
  const fields: CompiledFieldRule[] = [];
  mapping.rules.forEach((rule, index) => {
    let compiled: CompiledDropRule | CompiledFieldRule;
    try {
      compiled = compileRule(rule, index, mapping.kind);
    } catch (e) {
      if (e instanceof MappingProblem) throw new MappingProblem(`${ruleLabel(index, rule)}: ${e.message}`);
      throw e;
    }
    if ('holds' in compiled) drops.push(compiled);
    else fields.push(compiled);
  });
  const usernameRule = fields.find((rule) => rule.target.kind === 'field' && rule.target.field === 'username');
  if (!usernameRule) throw new MappingProblem('A mapping needs a rule with target "username"');
  return { kind: mapping.kind, drops, fields, usernameRule };
}
