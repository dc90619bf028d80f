// evaluate: one record through a compiled mapping. Decisions:
// - Drop rules are checked first, in order, whatever their place in the list: whether a record belongs
//   in the directory does not depend on which field happens to be missing. The first that holds wins.
// - Field rules then run in order: source, transformations, and when that leaves no value the rule's
//   onEmpty policy: `clear` writes null, `default` its default, `keep` the previous value (when
//   `previous` has one; otherwise the field is left out), `skip` stops with outcome 'skipped'.
// - 'dropped' means "this record is deliberately not in the directory"; 'skipped' means "this record
//   cannot be mapped now", so the caller should leave what it stored alone. An `active` value other
//   than true/false, and a record left without a username, are 'skipped' too, with a reason.
import type { CompiledFieldRule, CompiledMapping } from './compile';
import type { SourceRecord } from './record';
import { CUSTOM_TARGET_PREFIX, type DirectoryField, type DirectoryFields, type MappedUser, type MappedValues } from './targets';
import { parseBoolean } from './values';

export type Evaluation =
  | { outcome: 'mapped'; user: MappedUser }
  | { outcome: 'dropped' | 'skipped'; rule: number; reason: string };

type Decision = { value: string | null; from: number | 'default' } | { keep: true } | { skip: string };

function decide(rule: CompiledFieldRule, record: SourceRecord): Decision {
  const raw = rule.source.read(record);
  const value = raw === undefined ? undefined : rule.transform(raw);
  if (value !== undefined) return { value, from: rule.index };
  switch (rule.onEmpty) {
    case 'clear':
      return { value: null, from: rule.index };
    case 'default':
      return { value: rule.default ?? null, from: 'default' };
    case 'keep':
      return { keep: true };
    case 'skip':
      return { skip: `${rule.label}: ${rule.source.description} has no value, and the rule skips such records` };
  }
}

function copyField<F extends DirectoryField>(to: DirectoryFields, from: DirectoryFields, field: F): boolean {
  const value = from[field];
  if (value === undefined) return false;
  to[field] = value;
  return true;
}

/** Copies the previous value of the rule's target, if there is one; says whether it did. */
function keepPrevious(user: MappedUser, rule: CompiledFieldRule, previous: MappedValues | undefined): boolean {
  if (!previous) return false;
  const { target } = rule;
  if (target.kind === 'field') return copyField(user.fields, previous.fields, target.field);
  const value = previous.custom[target.name];
  if (value === undefined) return false;
  user.custom[target.name] = value;
  return true;
}

/** Writes a rule's value; returns a skip reason when `active` gets something that is not a Boolean. */
function write(user: MappedUser, rule: CompiledFieldRule, value: string | null): string | undefined {
  const { target } = rule;
  if (target.kind === 'custom') {
    user.custom[target.name] = value;
  } else if (target.field === 'active') {
    const active = value === null ? null : parseBoolean(value);
    if (active === undefined) return `${rule.label}: ${JSON.stringify(value)} is neither "true" nor "false"`;
    user.fields.active = active;
  } else {
    user.fields[target.field] = value;
  }
  return undefined;
}

function targetKey(rule: CompiledFieldRule): keyof MappedUser['provenance'] {
  return rule.target.kind === 'field' ? rule.target.field : `${CUSTOM_TARGET_PREFIX}${rule.target.name}`;
}

export function evaluate(compiled: CompiledMapping, record: SourceRecord, previous?: MappedValues): Evaluation {
  if (record.kind !== compiled.kind) throw new Error(`This mapping reads ${compiled.kind} records, not ${record.kind} records`);
  for (const drop of compiled.drops) {
    const because = drop.holds(record);
    if (because !== undefined) return { outcome: 'dropped', rule: drop.index, reason: `${drop.label}: ${because}` };
  }
  const user: MappedUser = { fields: {}, custom: {}, provenance: {} };
  for (const rule of compiled.fields) {
    const decision = decide(rule, record);
    if ('skip' in decision) return { outcome: 'skipped', rule: rule.index, reason: decision.skip };
    if ('keep' in decision) {
      if (keepPrevious(user, rule, previous)) user.provenance[targetKey(rule)] = 'kept';
      continue;
    }
    const invalid = write(user, rule, decision.value);
    if (invalid !== undefined) return { outcome: 'skipped', rule: rule.index, reason: invalid };
    user.provenance[targetKey(rule)] = decision.from;
  }
  const { username } = user.fields;
  if (typeof username !== 'string' || username.trim() === '') {
    const rule = compiled.usernameRule;
    return { outcome: 'skipped', rule: rule.index, reason: `${rule.label}: no username, and no previous username to keep` };
  }
  return { outcome: 'mapped', user };
}
