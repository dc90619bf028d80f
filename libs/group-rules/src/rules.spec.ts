import { grantedGroups, mappedGroupsToCreate } from './rules';
import { planMemberships } from './plan';
import { settingsFrom } from './test-settings';

describe('mappedGroupsToCreate', () => {
  const manual = (importEmptyMappedGroups: boolean) =>
    settingsFrom({
      strategy: 'manual',
      manual: {
        importEmptyMappedGroups,
        mappings: [
          { name: 'Eng', groups: ['engineering', 'staff'] },
          { externalId: '00gSALES', groups: ['sales'] },
          { pattern: '^team-', groups: ['Teams'] },
          { pattern: '^squad-', groups: ['teams'] },
        ],
      },
      neverAssign: ['staff'],
    });
  const idpGroups = [{ displayName: 'eng' }, { displayName: 'Sales', externalId: '00gSALES' }, { displayName: 'team-a' }, { displayName: 'squad-b' }, { displayName: 'Unmapped' }];

  it('lists each mapped directory group once, allowed by onlyAssign/neverAssign, when importEmptyMappedGroups is on', () => {
    expect(mappedGroupsToCreate(idpGroups, manual(true))).toEqual(['engineering', 'sales', 'Teams']);
  });

  it('lists nothing when importEmptyMappedGroups is off or the strategy is not manual', () => {
    expect(mappedGroupsToCreate(idpGroups, manual(false))).toEqual([]);
    expect(mappedGroupsToCreate(idpGroups, { ...manual(true), strategy: 'onTheFly' })).toEqual([]);
  });
});

describe('grantedGroups', () => {
  const cases: [string, object, { displayName: string; externalId?: string }, string[]][] = [
    ['on-the-fly: the same name', {}, { displayName: 'Eng' }, ['Eng']],
    ['none: nothing', { strategy: 'none' }, { displayName: 'Eng' }, []],
    [
      'manual: every mapped group, first spelling once',
      { strategy: 'manual', manual: { mappings: [{ name: 'eng', groups: ['a', 'b'] }, { pattern: '^E', groups: ['B', 'c'] }] } },
      { displayName: 'Eng' },
      ['a', 'b', 'c'],
    ],
    ['manual by externalId', { strategy: 'manual', manual: { mappings: [{ externalId: 'x1', groups: ['fin'] }] } }, { displayName: 'Finance', externalId: 'x1' }, ['fin']],
    ['neverAssign wins over onlyAssign', { onlyAssign: [{ pattern: '^app-' }], neverAssign: ['app-admin'] }, { displayName: 'app-admin' }, []],
    ['onlyAssign refuses others', { onlyAssign: [{ pattern: '^app-' }] }, { displayName: 'wiki' }, []],
  ];
  it.each(cases)('%s', (_, json, idpGroup, expected) => {
    expect(grantedGroups(idpGroup, settingsFrom(json))).toEqual(expected);
  });

  it('agrees with what planMemberships grants a member', () => {
    const settings = settingsFrom({ strategy: 'manual', manual: { mappings: [{ pattern: '.', groups: ['x', 'app-y', 'app-z'] }] }, onlyAssign: [{ pattern: '^app-' }], neverAssign: ['app-z'] });
    const plan = planMemberships({ connectorId: 'c1', settings, user: { id: 'u1', isNew: false }, idpGroups: [{ displayName: 'Any' }], currentGrants: [] });
    expect(grantedGroups({ displayName: 'Any' }, settings)).toEqual(plan.grant.map((g) => g.group));
  });
});

