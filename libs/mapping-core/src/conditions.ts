// Drop conditions: `matches` (RE2, unanchored, case-sensitive unless the pattern says `(?i)`),
// `equals` (exact) and `empty`. A source with no value neither matches nor equals anything. A holding
// condition returns its explanation, which becomes the drop reason an admin sees in a preview.
import type { Condition } from './mapping';
import { compilePattern } from './patterns';
import type { RecordKind, SourceRecord } from './record';
import { compileSource } from './sources';

/** The explanation when the condition holds for the record, else undefined. */
export type CompiledCondition = (record: SourceRecord) => string | undefined;

export function compileCondition(condition: Condition, kind: RecordKind): CompiledCondition {
  const source = compileSource(condition.source, kind);
  const name = source.description;
  if ('matches' in condition) {
    const re = compilePattern(condition.matches);
    return (record) => {
      const value = source.read(record);
      return value !== undefined && re.test(value) ? `${name} is ${JSON.stringify(value)}, which matches /${condition.matches}/` : undefined;
    };
  }
  if ('equals' in condition) {
    const expected = condition.equals;
    return (record) => (source.read(record) === expected ? `${name} equals ${JSON.stringify(expected)}` : undefined);
  }
  const whenEmpty = condition.empty;
  return (record) => {
    const value = source.read(record);
    if (whenEmpty) return value === undefined ? `${name} is empty` : undefined;
    return value === undefined ? undefined : `${name} is not empty (${JSON.stringify(value)})`;
  };
}
