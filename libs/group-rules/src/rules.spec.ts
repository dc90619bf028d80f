import { mappedGroupsToCreate } from './rules';
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
