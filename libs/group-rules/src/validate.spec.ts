import { defaultGroupSettings } from './settings';
import { validateGroupSettings, type SettingsError } from './validate';

function errorsOf(input: unknown): SettingsError[] {
  const result = validateGroupSettings(input);
  if (result.ok) throw new Error('expected the settings to be refused');
  return result.errors;
}

describe('validateGroupSettings', () => {
  it('fills every absent setting with its default', () => {
    expect(validateGroupSettings(undefined)).toEqual({ ok: true, settings: defaultGroupSettings() });
    expect(validateGroupSettings({})).toEqual({ ok: true, settings: defaultGroupSettings() });
    expect(validateGroupSettings({ brake: { maxShare: 0.25 }, lifecycle: { onDelete: 'anonymise' } })).toEqual({
      ok: true,
      settings: {
        ...defaultGroupSettings(),
        brake: { enabled: true, maxShare: 0.25, windowSeconds: 300, minUsers: 20 },
        lifecycle: { ...defaultGroupSettings().lifecycle, onDelete: 'anonymise' },
      },
    });
  });

  it('defaults to on-the-fly groups, disabling on every event, no stripping and the brake at 10% over 5 minutes from 20 users', () => {
    expect(defaultGroupSettings()).toMatchObject({
      strategy: 'onTheFly',
      keepExistingMemberships: false,
      lifecycle: { onDeactivate: 'disable', onDelete: 'disable', onOutOfScope: 'disable', onDropped: 'disable', stripMemberships: false },
      brake: { enabled: true, maxShare: 0.1, windowSeconds: 300, minUsers: 20 },
    });
  });

  it('accepts a complete manual configuration and returns it typed', () => {
    const input = {
      strategy: 'manual',
      manual: {
        mappings: [
          { name: 'Eng', groups: ['engineering'] },
          { externalId: '00g1abcd', groups: ['sales', 'crm-users'] },
          { pattern: '^team-', groups: ['teams'] },
        ],
        importEmptyMappedGroups: true,
      },
      onlyAssign: ['engineering', { pattern: '^(sales|crm)' }, 'teams'],
      neverAssign: [{ pattern: 'admin' }],
      defaultGroups: { newUsers: ['onboarding'], allUsers: ['everyone'] },
      neverRemove: ['break-glass'],
      keepExistingMemberships: true,
      requiredGroups: ['Roster Users'],
      lifecycle: { onDeactivate: 'keep', onDelete: 'delete', onOutOfScope: 'anonymise', onDropped: 'keep', stripMemberships: true },
      brake: { enabled: false, maxShare: 0.05, windowSeconds: 600, minUsers: 50 },
    };
    expect(validateGroupSettings(input)).toEqual({ ok: true, settings: input });
  });

  it.each([
    [null, '', 'must be an object'],
    [[], '', 'must be an object'],
    [{ stratgy: 'manual' }, 'stratgy', 'unknown setting; expected one of strategy, manual,'],
    [{ strategy: 'mirror' }, 'strategy', "must be one of 'none', 'manual', 'onTheFly'"],
    [{ manual: { mappings: {} } }, 'manual.mappings', 'must be a list'],
    [{ manual: { mappings: ['Eng'] } }, 'manual.mappings[0]', 'must be an object'],
    [{ manual: { mappings: [{ groups: ['x'] }] } }, 'manual.mappings[0]', 'needs exactly one of name, externalId or pattern'],
    [{ manual: { mappings: [{ name: 'a', pattern: 'b', groups: ['x'] }] } }, 'manual.mappings[0]', 'needs exactly one of name, externalId or pattern'],
    [{ manual: { mappings: [{ name: 'Eng', groups: [] }] } }, 'manual.mappings[0].groups', 'must list at least one directory group'],
    [{ manual: { mappings: [{ name: 'Eng' }] } }, 'manual.mappings[0].groups', 'must list at least one directory group'],
    [{ manual: { mappings: [{ name: 'Eng', groups: ['ok', ' padded'] }] } }, 'manual.mappings[0].groups[1]', 'must not start or end with whitespace'],
    [{ manual: { mappings: [{ externalId: '', groups: ['x'] }] } }, 'manual.mappings[0].externalId', 'must be a non-empty string'],
    [{ manual: { mappings: [{ name: 'Eng', group: 'x', groups: ['x'] }] } }, 'manual.mappings[0].group', 'unknown setting'],
    [{ manual: { importEmptyMappedGroups: 'yes' } }, 'manual.importEmptyMappedGroups', 'must be true or false'],
    [{ onlyAssign: ['eng', 'sales', 42] }, 'onlyAssign[2]', 'must be a group name or { "pattern": "<RE2 pattern>" }'],
    [{ onlyAssign: ['eng', ''] }, 'onlyAssign[1]', 'must not be empty'],
    [{ neverAssign: [{ pattern: 'x', flags: 'g' }] }, 'neverAssign[0].flags', 'unknown setting; expected one of pattern'],
    [{ neverAssign: [{}] }, 'neverAssign[0].pattern', 'must be a non-empty string'],
    [{ neverAssign: [{ pattern: '' }] }, 'neverAssign[0].pattern', 'must be a non-empty string'],
    [{ neverRemove: 'break-glass' }, 'neverRemove', 'must be a list'],
    [{ requiredGroups: [null] }, 'requiredGroups[0]', 'must be a group name'],
    [{ defaultGroups: { allUsers: [7] } }, 'defaultGroups.allUsers[0]', 'must be a group name (a string)'],
    [{ defaultGroups: { everyone: [] } }, 'defaultGroups.everyone', 'unknown setting'],
    [{ keepExistingMemberships: null }, 'keepExistingMemberships', 'must be true or false'],
    [{ lifecycle: { onDeactivate: 'delete' } }, 'lifecycle.onDeactivate', "must be one of 'disable', 'keep'"],
    [{ lifecycle: { onDelete: 'purge' } }, 'lifecycle.onDelete', "must be one of 'disable', 'delete', 'anonymise', 'keep'"],
    [{ lifecycle: { onOutOfScope: 'anonymize' } }, 'lifecycle.onOutOfScope', 'must be one of'],
    [{ lifecycle: { onDropped: true } }, 'lifecycle.onDropped', 'must be one of'],
    [{ brake: { maxShare: 1.5 } }, 'brake.maxShare', 'must be a number between 0 and 1'],
    [{ brake: { maxShare: '0.1' } }, 'brake.maxShare', 'must be a number between 0 and 1'],
    [{ brake: { windowSeconds: 0 } }, 'brake.windowSeconds', 'must be a whole number of at least 1'],
    [{ brake: { minUsers: 2.5 } }, 'brake.minUsers', 'must be a whole number of at least 0'],
  ])('refuses %j at %s', (input, path, message) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe(path);
    expect(errors[0].message).toContain(message);
  });

  it.each([
    ['lookahead', '^(?=eng)', 'invalid perl operator: (?='],
    ['lookbehind', '(?<!x)eng', 'invalid perl operator: (?<!'],
    ['a backreference', '(a)\\1', 'invalid escape sequence: \\1'],
    ['an unclosed group', '(eng', 'missing )'],
  ])('refuses a pattern with %s, naming the setting, the index and what RE2 lacks', (_, pattern, complaint) => {
    const [error] = errorsOf({ onlyAssign: ['eng', 'ops', { pattern }] });
    expect(error.path).toBe('onlyAssign[2].pattern');
    expect(error.message).toContain(`/${pattern}/ is not a valid RE2 pattern`);
    expect(error.message).toContain(complaint);
    expect(error.message).toContain('RE2 has no lookahead, lookbehind or backreferences');
  });

  it('checks mapping and requiredGroups patterns on RE2 too', () => {
    const errors = errorsOf({ manual: { mappings: [{ pattern: '(?=x)', groups: ['x'] }] }, requiredGroups: [{ pattern: '(a)\\1' }] });
    expect(errors.map((e) => e.path)).toEqual(['manual.mappings[0].pattern', 'requiredGroups[0].pattern']);
  });

  it('reports every error at once', () => {
    const errors = errorsOf({ strategy: 'x', onlyAssign: [1], brake: { enabled: 'no', minUsers: -1 }, extra: true });
    expect(errors.map((e) => e.path)).toEqual(['extra', 'strategy', 'onlyAssign[0]', 'brake.enabled', 'brake.minUsers']);
  });
});
