import { grantKey, type Grant, type IdpGroup, type Source } from './grants';
import { planMemberships, type MembershipPlan, type PlanInput } from './plan';
import { settingsFrom } from './test-settings';

const OKTA = 'okta-connector';
const ENTRA = 'entra-connector';
const USER = 'user-1';

const fromIdp = (idpGroup: string, connectorId = OKTA): Source => ({ kind: 'connector', connectorId, idpGroup });
const allUsers = (connectorId = OKTA): Source => ({ kind: 'default', connectorId, rule: 'allUsers' });
const newUsers = (connectorId = OKTA): Source => ({ kind: 'default', connectorId, rule: 'newUsers' });
const ADMIN: Source = { kind: 'admin' };
const grant = (group: string, source: Source, userId = USER): Grant => ({ userId, group, source });
const groups = (...names: string[]): IdpGroup[] => names.map((displayName) => ({ displayName }));

function plan(settings: object, idpGroups: IdpGroup[], currentGrants: Grant[] = [], extra: Partial<PlanInput> = {}): MembershipPlan {
  return planMemberships({
    connectorId: OKTA,
    settings: settingsFrom(settings),
    user: { id: USER, isNew: false },
    idpGroups,
    currentGrants,
    ...extra,
  });
}

function apply(current: Grant[], p: MembershipPlan): Grant[] {
  const revoked = new Set(p.revoke.map(grantKey));
  return [...current.filter((g) => !revoked.has(grantKey(g))), ...p.grant];
}

const reasons = (p: MembershipPlan, outcome: string) => p.explanations.filter((e) => e.outcome === outcome).map((e) => e.reason);

describe('planMemberships: strategy none', () => {
  it('gives no memberships from IdP groups, but still grants default groups', () => {
    const p = plan({ strategy: 'none', defaultGroups: { allUsers: ['everyone'] } }, groups('Eng', 'Sales'));
    expect(p.grant).toEqual([grant('everyone', allUsers())]);
  });

  it('withdraws what an earlier strategy granted', () => {
    const p = plan({ strategy: 'none' }, groups('Eng'), [grant('Eng', fromIdp('Eng'))]);
    expect(p.revoke).toEqual([grant('Eng', fromIdp('Eng'))]);
    expect(reasons(p, 'revoke')).toEqual(["IdP group 'Eng' no longer leads to 'Eng' (strategy 'none')"]);
  });
});

describe('planMemberships: strategy onTheFly', () => {
  it('puts the user in the directory group of the same name, to be created if missing', () => {
    const p = plan({ strategy: 'onTheFly' }, groups('Eng', 'Sales'));
    expect(p.grant).toEqual([grant('Eng', fromIdp('Eng')), grant('Sales', fromIdp('Sales'))]);
    expect(p.createGroups).toEqual(['Eng', 'Sales']);
    expect(reasons(p, 'grant')).toEqual(["IdP group 'Eng' has the same name (on-the-fly)", "IdP group 'Sales' has the same name (on-the-fly)"]);
  });

  it('treats a directory group the user is already in under another spelling as existing', () => {
    const p = plan({ strategy: 'onTheFly' }, groups('Engineering'), [grant('engineering', ADMIN)]);
    expect(p.grant).toEqual([grant('Engineering', fromIdp('Engineering'))]);
    expect(p.createGroups).toEqual([]);
  });

  it('revokes the membership when the user leaves the IdP group', () => {
    const p = plan({ strategy: 'onTheFly' }, groups('Sales'), [grant('Eng', fromIdp('Eng')), grant('Sales', fromIdp('Sales'))]);
    expect(p.grant).toEqual([]);
    expect(p.revoke).toEqual([grant('Eng', fromIdp('Eng'))]);
    expect(reasons(p, 'revoke')).toEqual(["the user is no longer in IdP group 'Eng'"]);
  });

  it('matches its own grants whatever the case the IdP now uses', () => {
    const p = plan({ strategy: 'onTheFly' }, groups('ENG'), [grant('Eng', fromIdp('Eng'))]);
    expect(p).toMatchObject({ grant: [], revoke: [] });
  });
});

describe('planMemberships: strategy manual', () => {
  const manual = {
    strategy: 'manual',
    manual: {
      mappings: [
        { name: 'eng', groups: ['engineering'] },
        { externalId: '00gSALES', groups: ['sales', 'crm-users'] },
        { pattern: '^team-', groups: ['teams'] },
      ],
    },
  };

  it('maps IdP groups by name (case-insensitively), externalId or pattern, and ignores unmapped ones', () => {
    const idp: IdpGroup[] = [{ displayName: 'ENG' }, { displayName: 'Sales EMEA', externalId: '00gSALES' }, { displayName: 'Team-Blue' }, { displayName: 'Marketing' }];
    const p = plan(manual, idp);
    expect(p.grant).toEqual([
      grant('engineering', fromIdp('ENG')),
      grant('sales', fromIdp('Sales EMEA')),
      grant('crm-users', fromIdp('Sales EMEA')),
      grant('teams', fromIdp('Team-Blue')),
    ]);
    expect(reasons(p, 'grant')).toEqual([
      "IdP group 'ENG' maps to 'engineering' (manual mapping #1)",
      "IdP group 'Sales EMEA' maps to 'sales' (manual mapping #2)",
      "IdP group 'Sales EMEA' maps to 'crm-users' (manual mapping #2)",
      "IdP group 'Team-Blue' maps to 'teams' (manual mapping #3)",
    ]);
  });

  it('matches externalId exactly, never by name', () => {
    expect(plan(manual, [{ displayName: '00gSALES' }, { displayName: 'Sales', externalId: '00gsales' }]).grant).toEqual([]);
  });

  it('keeps one membership per IdP group when several IdP groups map to the same directory group', () => {
    const p = plan(manual, groups('team-red', 'team-blue'));
    expect(p.grant).toEqual([grant('teams', fromIdp('team-red')), grant('teams', fromIdp('team-blue'))]);
    expect(p.createGroups).toEqual(['teams']);

    const after = apply([], p);
    const leftRed = plan(manual, groups('team-blue'), after);
    expect(leftRed.revoke).toEqual([grant('teams', fromIdp('team-red'))]);
  });

  it('revokes what a removed mapping granted', () => {
    const current = [grant('engineering', fromIdp('eng'))];
    const p = plan({ strategy: 'manual', manual: { mappings: [{ name: 'eng', groups: ['developers'] }] } }, groups('eng'), current);
    expect(p.grant).toEqual([grant('developers', fromIdp('eng'))]);
    expect(p.revoke).toEqual(current);
    expect(reasons(p, 'revoke')).toEqual(["IdP group 'eng' no longer leads to 'engineering' (strategy 'manual')"]);
  });
});

describe('planMemberships: onlyAssign and neverAssign', () => {
  it('assigns only directory groups matching an onlyAssign name (case-insensitive) or pattern', () => {
    const p = plan({ onlyAssign: ['ENG', { pattern: '^app-' }] }, groups('eng', 'APP-crm', 'my-app-x', 'Sales'));
    expect(p.grant.map((g) => g.group)).toEqual(['eng', 'APP-crm']);
    expect(reasons(p, 'excluded')).toEqual([
      "IdP group 'my-app-x' has the same name (on-the-fly), but 'my-app-x' matches no onlyAssign entry",
      "IdP group 'Sales' has the same name (on-the-fly), but 'Sales' matches no onlyAssign entry",
    ]);
  });

  it('never assigns a group matching neverAssign, even one onlyAssign allows', () => {
    const p = plan({ onlyAssign: [{ pattern: '.' }], neverAssign: ['Domain Admins', { pattern: 'ADMIN$' }] }, groups('domain admins', 'sysadmin', 'eng'));
    expect(p.grant.map((g) => g.group)).toEqual(['eng']);
    expect(reasons(p, 'excluded')).toEqual([
      "IdP group 'domain admins' has the same name (on-the-fly), but 'domain admins' matches neverAssign entry #1 ('Domain Admins')",
      "IdP group 'sysadmin' has the same name (on-the-fly), but 'sysadmin' matches neverAssign entry #2 (/ADMIN$/)",
    ]);
  });

  it('filters the directory groups a manual mapping leads to, not the IdP group names', () => {
    const settings = { strategy: 'manual', manual: { mappings: [{ name: 'Admins', groups: ['it', 'root'] }] }, neverAssign: ['root'] };
    expect(plan(settings, groups('Admins')).grant).toEqual([grant('it', fromIdp('Admins'))]);
  });

  it('does not filter default groups', () => {
    const p = plan({ onlyAssign: ['eng'], neverAssign: ['everyone'], defaultGroups: { allUsers: ['everyone'] } }, []);
    expect(p.grant).toEqual([grant('everyone', allUsers())]);
  });

  it('revokes a membership once its group becomes never-assigned', () => {
    const p = plan({ neverAssign: ['vpn'] }, groups('vpn'), [grant('vpn', fromIdp('vpn'))]);
    expect(p.revoke).toEqual([grant('vpn', fromIdp('vpn'))]);
    expect(reasons(p, 'revoke')).toEqual(["IdP group 'vpn' has the same name (on-the-fly), but 'vpn' matches neverAssign entry #1 ('vpn')"]);
  });
});

describe('planMemberships: default groups', () => {
  const defaults = { strategy: 'none', defaultGroups: { newUsers: ['onboarding'], allUsers: ['everyone'] } };

  it('grants new-user groups once, when the user is created', () => {
    const created = plan(defaults, [], [], { user: { id: USER, isNew: true } });
    expect(created.grant).toEqual([grant('everyone', allUsers()), grant('onboarding', newUsers())]);
    expect(reasons(created, 'grant')).toEqual(["'everyone' is a default group for all users", "'onboarding' is a default group for new users"]);

    const later = plan(defaults, [], apply([], created));
    expect(later).toMatchObject({ grant: [], revoke: [] });
  });

  it('does not grant a new-user group again after an admin removed it', () => {
    expect(plan(defaults, [], [grant('everyone', allUsers())]).grant).toEqual([]);
  });

  it('re-grants an all-users group removed by hand, on every evaluation', () => {
    const p = plan(defaults, [], [grant('onboarding', newUsers())]);
    expect(p.grant).toEqual([grant('everyone', allUsers())]);
  });

  it('revokes an all-users group once it is no longer listed, but never a new-user group', () => {
    const current = [grant('everyone', allUsers()), grant('onboarding', newUsers()), grant('staff', allUsers())];
    const p = plan({ strategy: 'none', defaultGroups: { allUsers: ['staff'] } }, [], current);
    expect(p.revoke).toEqual([grant('everyone', allUsers())]);
    expect(reasons(p, 'revoke')).toEqual(["'everyone' is no longer a default group for all users"]);
  });
});

describe('planMemberships: neverRemove', () => {
  it('never revokes a membership in a never-remove group, by name or pattern', () => {
    const current = [grant('Break-Glass', fromIdp('Break-Glass')), grant('ops-oncall', fromIdp('ops-oncall')), grant('eng', fromIdp('eng'))];
    const p = plan({ neverRemove: ['break-glass', { pattern: '^ops-' }] }, [], current);
    expect(p.revoke).toEqual([grant('eng', fromIdp('eng'))]);
    expect(reasons(p, 'protected')).toEqual([
      "the user is no longer in IdP group 'Break-Glass', but 'Break-Glass' is a never-remove group (entry #1, 'break-glass')",
      "the user is no longer in IdP group 'ops-oncall', but 'ops-oncall' is a never-remove group (entry #2, /^ops-/)",
    ]);
  });
});

describe('planMemberships: provenance and keepExistingMemberships', () => {
  const others = [
    grant('eng', ADMIN),
    grant('eng', fromIdp('Eng', ENTRA)),
    grant('eng', allUsers(ENTRA)),
    grant('eng', { kind: 'ldap', connectorId: 'ldap-connector', ldapGroup: 'cn=eng,ou=groups,dc=corp' }),
  ];

  it.each([false, true])('never revokes grants of admins, LDAP or other connectors (keepExistingMemberships %s)', (keepExistingMemberships) => {
    const p = plan({ strategy: 'none', keepExistingMemberships }, [], others);
    expect(p).toEqual({ grant: [], revoke: [], createGroups: [], explanations: [] });
  });

  it('ignores grants of other users', () => {
    const p = plan({}, [], [grant('eng', fromIdp('eng'), 'someone-else')]);
    expect(p.revoke).toEqual([]);
  });

  const legacy = grant('eng', fromIdp(''));

  it('revokes its own grants of unknown provenance that no rule makes, unless keepExistingMemberships', () => {
    const off = plan({ keepExistingMemberships: false }, [], [legacy]);
    expect(off.revoke).toEqual([legacy]);
    expect(reasons(off, 'revoke')).toEqual(["'eng' was granted before provenance was recorded and no rule grants it now"]);

    const on = plan({ keepExistingMemberships: true }, [], [legacy]);
    expect(on.revoke).toEqual([]);
    expect(reasons(on, 'protected')).toEqual([
      "'eng' was granted before provenance was recorded and no rule grants it now, but keepExistingMemberships keeps grants of unknown provenance",
    ]);
  });

  it('replaces a grant of unknown provenance with one that records its IdP group, unless keepExistingMemberships', () => {
    const off = plan({ keepExistingMemberships: false }, groups('ENG'), [legacy]);
    expect(off).toMatchObject({ grant: [grant('ENG', fromIdp('ENG'))], revoke: [legacy], createGroups: [] });
    expect(reasons(off, 'revoke')).toEqual(["'eng' was granted before provenance was recorded and is now granted with its provenance"]);

    const on = plan({ keepExistingMemberships: true }, groups('ENG'), [legacy]);
    expect(on).toMatchObject({ grant: [grant('ENG', fromIdp('ENG'))], revoke: [] });
  });
});

describe('planMemberships: two connectors feeding one directory', () => {
  it('each connector withdraws only its own grant, so the other keeps the user in the group', () => {
    const settings = settingsFrom({ strategy: 'onTheFly' });
    const okta = (idpGroups: IdpGroup[], currentGrants: Grant[]) =>
      planMemberships({ connectorId: OKTA, settings, user: { id: USER, isNew: false }, idpGroups, currentGrants });
    const entra = (idpGroups: IdpGroup[], currentGrants: Grant[]) =>
      planMemberships({ connectorId: ENTRA, settings, user: { id: USER, isNew: false }, idpGroups, currentGrants });

    let grants = apply([], okta(groups('eng'), []));
    grants = apply(grants, entra(groups('Eng'), grants));
    expect(grants).toEqual([grant('eng', fromIdp('eng')), grant('Eng', fromIdp('Eng', ENTRA))]);

    const oktaLeaves = okta([], grants);
    expect(oktaLeaves.revoke).toEqual([grant('eng', fromIdp('eng'))]);
    grants = apply(grants, oktaLeaves);

    expect(entra(groups('Eng'), grants)).toEqual({ grant: [], revoke: [], createGroups: [], explanations: [] });
    expect(okta([], grants)).toEqual({ grant: [], revoke: [], createGroups: [], explanations: [] });
    expect(grants).toEqual([grant('Eng', fromIdp('Eng', ENTRA))]);
  });
});

describe('planMemberships: deprovisioned users', () => {
  const settings = { defaultGroups: { allUsers: ['everyone'] } };

  it('grants nothing new, keeps what rules still grant and revokes what the IdP withdrew', () => {
    const current = [grant('eng', fromIdp('eng')), grant('sales', fromIdp('sales'))];
    const p = plan(settings, groups('eng', 'ops'), current, { user: { id: USER, isNew: false, deprovisioned: true } });
    expect(p.grant).toEqual([]);
    expect(p.createGroups).toEqual([]);
    expect(p.revoke).toEqual([grant('sales', fromIdp('sales'))]);
    expect(reasons(p, 'withheld')).toEqual([
      "IdP group 'ops' has the same name (on-the-fly), but the user is deprovisioned",
      "'everyone' is a default group for all users, but the user is deprovisioned",
    ]);
  });
});

describe('planMemberships: LDAP connectors', () => {
  it('records group-derived grants as LDAP grants and withdraws them the same way', () => {
    const ldap = (ldapGroup: string): Source => ({ kind: 'ldap', connectorId: OKTA, ldapGroup });
    const p = plan({ strategy: 'manual', manual: { mappings: [{ pattern: '^cn=eng,', groups: ['engineering'] }] } }, groups('cn=eng,ou=groups'), [grant('ops', ldap('cn=ops,ou=groups'))], {
      groupSourceKind: 'ldap',
    });
    expect(p.grant).toEqual([grant('engineering', ldap('cn=eng,ou=groups'))]);
    expect(p.revoke).toEqual([grant('ops', ldap('cn=ops,ou=groups'))]);
    expect(reasons(p, 'grant')).toEqual(["LDAP group 'cn=eng,ou=groups' maps to 'engineering' (manual mapping #1)"]);
    expect(reasons(p, 'revoke')).toEqual(["the user is no longer in LDAP group 'cn=ops,ou=groups'"]);
  });
});

describe('planMemberships: idempotence', () => {
  const full = {
    strategy: 'manual',
    manual: { mappings: [{ name: 'Eng', groups: ['engineering', 'staff'] }, { pattern: '^team-', groups: ['teams'] }] },
    neverAssign: ['staff'],
    defaultGroups: { newUsers: ['onboarding'], allUsers: ['everyone'] },
    neverRemove: ['legacy-vpn'],
  };
  const start = [grant('legacy-vpn', fromIdp('Old VPN')), grant('engineering', fromIdp('')), grant('eng', ADMIN), grant('sales', fromIdp('Sales'))];

  it.each([
    ['a new user', full, groups('Eng', 'team-a'), [] as Grant[], true],
    ['an existing user with stale and foreign grants', full, groups('Eng', 'team-b'), start, false],
    ['on-the-fly', {}, groups('a', 'B', 'b'), start, false],
    ['keepExistingMemberships', { ...full, keepExistingMemberships: true }, groups('team-c'), start, false],
  ])('planning again after applying the plan changes nothing: %s', (_, settings, idpGroups, current, isNew) => {
    const first = plan(settings, idpGroups, current, { user: { id: USER, isNew } });
    expect(first.grant.length + first.revoke.length).toBeGreaterThan(0);
    const second = plan(settings, idpGroups, apply(current, first));
    expect(second).toMatchObject({ grant: [], revoke: [], createGroups: [] });
  });
});
