// @roster/mapping-core: per-connector attribute mapping from SCIM resources and LDAP entries to
// directory fields, with no framework and no I/O. validateMapping checks admin JSON, compileMapping
// prepares it once, evaluate maps one record; defaultMapping gives each IdP preset's starting rules.
// README.md documents the rule format for admins.
export {
  CUSTOM_NAME,
  DIRECTORY_FIELDS,
  type CustomTarget,
  type DirectoryField,
  type DirectoryFields,
  type MappedUser,
  type MappedValues,
  type Provenance,
  type Target,
} from './targets';
export { RECORD_KINDS, sourceRecord, type LdapEntry, type RecordKind, type SourceRecord } from './record';
export {
  ON_EMPTY_POLICIES,
  TRANSFORMATION_NAMES,
  type Condition,
  type DropRule,
  type FieldRule,
  type Mapping,
  type NamedTransformation,
  type OnEmpty,
  type Rule,
  type Source,
  type Transformation,
} from './mapping';
export { MappingProblem } from './problem';
export { validateMapping, type MappingError, type MappingValidation } from './validate';
export { compileMapping, type CompiledMapping } from './compile';
export { evaluate, type Evaluation } from './evaluate';
export { MAPPING_PRESETS, defaultMapping, type MappingPreset } from './presets';
