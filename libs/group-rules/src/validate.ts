// validateGroupSettings: admin-supplied JSON in, typed GroupSettings (absent settings take their
// defaults) or every error at once out, each with the path of the offending setting (`onlyAssign[2]`,
// `manual.mappings[0].pattern`, `brake.maxShare`). Decisions: unknown keys are refused, so a typo never
// silently leaves a default in force; only an absent key takes the default (null is refused); group
// names must be non-empty with no surrounding whitespace; patterns must compile on RE2, and the message
// carries RE2's own complaint plus what RE2 lacks (lookaround, backreferences).
import { compilePattern } from './matchers';
import {
  defaultGroupSettings,
  type BrakeSettings,
  type DeprovisionAction,
  type GroupMatcher,
  type GroupSettings,
  type LifecycleSettings,
  type ManualMapping,
  type ManualSettings,
  type Strategy,
} from './settings';

export interface SettingsError {
  path: string;
  message: string;
}

export type SettingsValidation = { ok: true; settings: GroupSettings } | { ok: false; errors: SettingsError[] };

const STRATEGIES: readonly Strategy[] = ['none', 'manual', 'onTheFly'];
const DEPROVISION_ACTIONS: readonly DeprovisionAction[] = ['disable', 'delete', 'anonymise', 'keep'];
const DEACTIVATE_ACTIONS: readonly LifecycleSettings['onDeactivate'][] = ['disable', 'keep'];
const MAPPING_MATCHERS = ['name', 'externalId', 'pattern'] as const;

export function validateGroupSettings(input: unknown): SettingsValidation {
  const read = new Reader();
  const defaults = defaultGroupSettings();
  const root = read.section(input, '', [
    'strategy',
    'manual',
    'onlyAssign',
    'neverAssign',
    'defaultGroups',
    'neverRemove',
    'keepExistingMemberships',
    'requiredGroups',
    'lifecycle',
    'brake',
  ]);
  const defaultGroups = read.section(root.defaultGroups, 'defaultGroups', ['newUsers', 'allUsers']);
  const settings: GroupSettings = {
    strategy: read.oneOf(root.strategy, 'strategy', STRATEGIES, defaults.strategy),
    manual: readManual(read, root.manual, defaults.manual),
    onlyAssign: read.list(root.onlyAssign, 'onlyAssign', (v, p) => read.matcher(v, p)),
    neverAssign: read.list(root.neverAssign, 'neverAssign', (v, p) => read.matcher(v, p)),
    defaultGroups: {
      newUsers: read.list(defaultGroups.newUsers, 'defaultGroups.newUsers', (v, p) => read.name(v, p)),
      allUsers: read.list(defaultGroups.allUsers, 'defaultGroups.allUsers', (v, p) => read.name(v, p)),
    },
    neverRemove: read.list(root.neverRemove, 'neverRemove', (v, p) => read.matcher(v, p)),
    keepExistingMemberships: read.boolean(root.keepExistingMemberships, 'keepExistingMemberships', defaults.keepExistingMemberships),
    requiredGroups: read.list(root.requiredGroups, 'requiredGroups', (v, p) => read.matcher(v, p)),
    lifecycle: readLifecycle(read, root.lifecycle, defaults.lifecycle),
    brake: readBrake(read, root.brake, defaults.brake),
  };
  return read.errors.length === 0 ? { ok: true, settings } : { ok: false, errors: read.errors };
}

function readManual(read: Reader, value: unknown, defaults: ManualSettings): ManualSettings {
  const manual = read.section(value, 'manual', ['mappings', 'importEmptyMappedGroups']);
  return {
    mappings: read.list(manual.mappings, 'manual.mappings', (v, p) => readMapping(read, v, p)),
    importEmptyMappedGroups: read.boolean(manual.importEmptyMappedGroups, 'manual.importEmptyMappedGroups', defaults.importEmptyMappedGroups),
  };
}

function readMapping(read: Reader, value: unknown, path: string): ManualMapping {
  const mapping = read.section(value, path, [...MAPPING_MATCHERS, 'groups']);
  const groups = read.list(mapping.groups, `${path}.groups`, (v, p) => read.name(v, p));
  if (groups.length === 0 && read.isSection(value)) read.fail(`${path}.groups`, 'must list at least one directory group');
  const present = MAPPING_MATCHERS.filter((key) => mapping[key] !== undefined);
  if (present.length !== 1) {
    if (read.isSection(value)) read.fail(path, 'needs exactly one of name, externalId or pattern to match IdP groups');
    return { name: '', groups };
  }
  const [key] = present;
  if (key === 'name') return { name: read.name(mapping.name, `${path}.name`), groups };
  if (key === 'externalId') return { externalId: read.text(mapping.externalId, `${path}.externalId`), groups };
  return { pattern: read.pattern(mapping.pattern, `${path}.pattern`), groups };
}

function readLifecycle(read: Reader, value: unknown, defaults: LifecycleSettings): LifecycleSettings {
  const lifecycle = read.section(value, 'lifecycle', ['onDeactivate', 'onDelete', 'onOutOfScope', 'onDropped', 'stripMemberships']);
  return {
    onDeactivate: read.oneOf(lifecycle.onDeactivate, 'lifecycle.onDeactivate', DEACTIVATE_ACTIONS, defaults.onDeactivate),
    onDelete: read.oneOf(lifecycle.onDelete, 'lifecycle.onDelete', DEPROVISION_ACTIONS, defaults.onDelete),
    onOutOfScope: read.oneOf(lifecycle.onOutOfScope, 'lifecycle.onOutOfScope', DEPROVISION_ACTIONS, defaults.onOutOfScope),
    onDropped: read.oneOf(lifecycle.onDropped, 'lifecycle.onDropped', DEPROVISION_ACTIONS, defaults.onDropped),
    stripMemberships: read.boolean(lifecycle.stripMemberships, 'lifecycle.stripMemberships', defaults.stripMemberships),
  };
}

function readBrake(read: Reader, value: unknown, defaults: BrakeSettings): BrakeSettings {
  const brake = read.section(value, 'brake', ['enabled', 'maxShare', 'windowSeconds', 'minUsers']);
  return {
    enabled: read.boolean(brake.enabled, 'brake.enabled', defaults.enabled),
    maxShare: read.number(brake.maxShare, 'brake.maxShare', defaults.maxShare, { min: 0, max: 1 }),
    windowSeconds: read.number(brake.windowSeconds, 'brake.windowSeconds', defaults.windowSeconds, { min: 1, integer: true }),
    minUsers: read.number(brake.minUsers, 'brake.minUsers', defaults.minUsers, { min: 0, integer: true }),
  };
}

/** Reads values at paths, collecting errors; on an error it returns a placeholder so reading goes on. */
class Reader {
  readonly errors: SettingsError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  isSection(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** An object with only the given keys; absent is an empty section (all defaults). */
  section(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
    if (value === undefined) return {};
    if (!this.isSection(value)) {
      this.fail(path, 'must be an object');
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(path ? `${path}.${key}` : key, `unknown setting; expected one of ${keys.join(', ')}`);
    }
    return value;
  }

  list<T>(value: unknown, path: string, item: (value: unknown, path: string) => T): T[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(path, 'must be a list');
      return [];
    }
    return value.map((v, i) => item(v, `${path}[${i}]`));
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(path, 'must be true or false');
    return value === true;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    const found = options.find((option) => option === value);
    if (found === undefined) this.fail(path, `must be one of ${options.map((o) => `'${o}'`).join(', ')}`);
    return found ?? fallback;
  }

  number(value: unknown, path: string, fallback: number, range: { min: number; max?: number; integer?: boolean }): number {
    if (value === undefined) return fallback;
    const kind = range.integer ? 'a whole number' : 'a number';
    const bounds = range.max === undefined ? `of at least ${range.min}` : `between ${range.min} and ${range.max}`;
    const wrongKind = typeof value !== 'number' || !Number.isFinite(value) || (range.integer === true && !Number.isInteger(value));
    if (wrongKind || value < range.min || (range.max !== undefined && value > range.max)) {
      this.fail(path, `must be ${kind} ${bounds}`);
      return fallback;
    }
    return value;
  }

  text(value: unknown, path: string): string {
    if (typeof value !== 'string' || value === '') {
      this.fail(path, 'must be a non-empty string');
      return '';
    }
    return value;
  }

  name(value: unknown, path: string): string {
    if (typeof value !== 'string') {
      this.fail(path, 'must be a group name (a string)');
      return '';
    }
    if (value.trim() === '') this.fail(path, 'must not be empty');
    else if (value.trim() !== value) this.fail(path, 'must not start or end with whitespace');
    return value;
  }

  pattern(value: unknown, path: string): string {
    const source = this.text(value, path);
    if (source === '') return source;
    try {
      compilePattern(source);
    } catch (e) {
      const complaint = e instanceof Error ? e.message : String(e);
      this.fail(path, `/${source}/ is not a valid RE2 pattern (${complaint}); RE2 has no lookahead, lookbehind or backreferences`);
    }
    return source;
  }

  /** A group name, or `{ "pattern": "<RE2>" }`. */
  matcher(value: unknown, path: string): GroupMatcher {
    if (typeof value === 'string') return this.name(value, path);
    if (!this.isSection(value)) {
      this.fail(path, 'must be a group name or { "pattern": "<RE2 pattern>" }');
      return '';
    }
    const entry = this.section(value, path, ['pattern']);
    return { pattern: this.pattern(entry.pattern, `${path}.pattern`) };
  }
}
