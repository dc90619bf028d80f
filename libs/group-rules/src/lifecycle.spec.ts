import { grantKey, type Grant, type Source } from './grants';
import { decideLifecycle, inScope, type LifecycleEventType } from './lifecycle';
import { planMemberships } from './plan';
import { settingsFrom } from './test-settings';

const OKTA = 'okta-connector';
const USER = 'user-1';
const grant = (group: string, source: Source): Grant => ({ userId: USER, group, source });
const fromOkta = (idpGroup: string): Source => ({ kind: 'connector', connectorId: OKTA, idpGroup });

const own = grant('eng', fromOkta('eng'));
const ownDefault = grant('everyone', { kind: 'default', connectorId: OKTA, rule: 'allUsers' });
const byAdmin = grant('finance', { kind: 'admin' });
const byOtherConnector = grant('sales', { kind: 'connector', connectorId: 'entra-connector', idpGroup: 'Sales' });
const unknownProvenance = grant('legacy', fromOkta(''));
const inBreakGlass = grant('break-glass', fromOkta('break-glass'));
const ALL = [own, ownDefault, byAdmin, byOtherConnector, unknownProvenance, inBreakGlass];

const decide = (type: LifecycleEventType, settings: object, grants: Grant[] = ALL) =>
  decideLifecycle({ type, connectorId: OKTA, grants }, settingsFrom(settings));

describe('inScope', () => {
  it('keeps everyone in scope when no required groups are set', () => {
    expect(inScope([], settingsFrom({}))).toBe(true);
  });

  it('needs one IdP group matching a required name (case-insensitive) or pattern', () => {
    const settings = settingsFrom({ requiredGroups: ['Roster Users', { pattern: '^app-roster-' }] });
    expect(inScope(['Sales', 'roster users'], settings)).toBe(true);
    expect(inScope(['APP-ROSTER-eu'], settings)).toBe(true);
    expect(inScope(['Sales', 'my-app-roster-x'], settings)).toBe(false);
    expect(inScope([], settings)).toBe(false);
  });
});

describe('decideLifecycle: configured actions', () => {
  it.each([
    ['deactivated', { onDeactivate: 'disable' }, 'disable', "the IdP deactivated the user (onDeactivate: 'disable')"],
    ['deactivated', { onDeactivate: 'keep' }, 'keep', "the IdP deactivated the user (onDeactivate: 'keep')"],
    ['deleted', { onDelete: 'disable' }, 'disable', "the IdP deleted the user (onDelete: 'disable')"],
    ['deleted', { onDelete: 'anonymise' }, 'anonymise', "the IdP deleted the user (onDelete: 'anonymise')"],
    ['deleted', { onDelete: 'keep' }, 'keep', "the IdP deleted the user (onDelete: 'keep')"],
    ['deleted', { onDelete: 'delete' }, 'delete', "the IdP deleted the user (onDelete: 'delete')"],
    ['outOfScope', { onOutOfScope: 'disable' }, 'disable', "the user is in none of the required groups (onOutOfScope: 'disable')"],
    ['outOfScope', { onOutOfScope: 'anonymise' }, 'anonymise', "the user is in none of the required groups (onOutOfScope: 'anonymise')"],
    ['outOfScope', { onOutOfScope: 'keep' }, 'keep', "the user is in none of the required groups (onOutOfScope: 'keep')"],
    ['outOfScope', { onOutOfScope: 'delete' }, 'delete', "the user is in none of the required groups (onOutOfScope: 'delete')"],
    ['dropped', { onDropped: 'disable' }, 'disable', "a mapping rule dropped the user (onDropped: 'disable')"],
    ['dropped', { onDropped: 'anonymise' }, 'anonymise', "a mapping rule dropped the user (onDropped: 'anonymise')"],
    ['dropped', { onDropped: 'keep' }, 'keep', "a mapping rule dropped the user (onDropped: 'keep')"],
    ['dropped', { onDropped: 'delete' }, 'delete', "a mapping rule dropped the user (onDropped: 'delete')"],
  ] as const)('%s with %j: %s', (type, lifecycle, action, why) => {
    const decision = decide(type, { lifecycle }, [own]);
    expect(decision.action).toBe(action);
    expect(decision.reason.startsWith(why)).toBe(true);
  });

  it.each([
    ['deactivated', 'disable'],
    ['deleted', 'disable'],
    ['outOfScope', 'disable'],
    ['dropped', 'disable'],
    ['reactivated', 'enable'],
  ] as const)('by default, %s leads to %s without touching memberships', (type, action) => {
    expect(decide(type, {})).toEqual({
      action,
      stripMemberships: false,
      keepGroups: ['eng', 'everyone', 'finance', 'sales', 'legacy', 'break-glass'],
      revoke: [],
      reason: expect.any(String),
    });
  });

  it('says memberships stay when stripping is off', () => {
    expect(decide('deleted', {}).reason).toBe("the IdP deleted the user (onDelete: 'disable'); memberships stay (stripMemberships is off)");
  });

  it('keeps a kept user exactly as it is, even with stripping on', () => {
    const decision = decide('outOfScope', { lifecycle: { onOutOfScope: 'keep', stripMemberships: true } });
    expect(decision).toMatchObject({ action: 'keep', stripMemberships: false, revoke: [] });
    expect(decision.reason).toBe("the user is in none of the required groups (onOutOfScope: 'keep'): keep the user as it is");
  });
});

describe('decideLifecycle: stripping memberships', () => {
  it('strips grants from every source except never-remove groups', () => {
    const decision = decide('deactivated', { neverRemove: [{ pattern: '^break-' }], lifecycle: { stripMemberships: true } });
    expect(decision).toEqual({
      action: 'disable',
      stripMemberships: true,
      keepGroups: ['break-glass'],
      revoke: [own, ownDefault, byAdmin, byOtherConnector, unknownProvenance],
      reason: "the IdP deactivated the user (onDeactivate: 'disable'); memberships stripped except never-remove groups",
    });
  });

  it("with keepExistingMemberships strips only this connector's own grants of known provenance", () => {
    const decision = decide('dropped', { neverRemove: ['break-glass'], keepExistingMemberships: true, lifecycle: { onDropped: 'anonymise', stripMemberships: true } });
    expect(decision).toEqual({
      action: 'anonymise',
      stripMemberships: true,
      keepGroups: ['finance', 'sales', 'legacy', 'break-glass'],
      revoke: [own, ownDefault],
      reason: "a mapping rule dropped the user (onDropped: 'anonymise'); memberships stripped except never-remove groups and grants this connector did not make",
    });
  });

  it('keeps a group while any of its grants survives', () => {
    const adminInEng = grant('ENG', { kind: 'admin' });
    const decision = decide('deleted', { keepExistingMemberships: true, lifecycle: { stripMemberships: true } }, [own, adminInEng]);
    expect(decision.revoke).toEqual([own]);
    expect(decision.keepGroups).toEqual(['ENG']);
  });
});

describe('decideLifecycle: delete', () => {
  it('deletes the user with every membership when nothing must be kept', () => {
    expect(decide('deleted', { lifecycle: { onDelete: 'delete' } }, [own, byAdmin, own])).toEqual({
      action: 'delete',
      stripMemberships: true,
      keepGroups: [],
      revoke: [own, byAdmin],
      reason: "the IdP deleted the user (onDelete: 'delete'): delete the user with all memberships",
    });
  });

  it('disables instead when the user is in a never-remove group', () => {
    const decision = decide('deleted', { neverRemove: ['break-glass'], lifecycle: { onDelete: 'delete' } });
    expect(decision).toMatchObject({ action: 'disable', stripMemberships: false, revoke: [] });
    expect(decision.reason).toBe(
      "the IdP deleted the user (onDelete: 'delete'), but deleting would remove memberships the settings keep ('break-glass'), so disable instead; memberships stay (stripMemberships is off)",
    );
  });

  it('disables instead, stripping what it may, when keepExistingMemberships protects other sources', () => {
    const decision = decide('outOfScope', { keepExistingMemberships: true, lifecycle: { onOutOfScope: 'delete', stripMemberships: true } }, [own, byAdmin]);
    expect(decision).toMatchObject({ action: 'disable', stripMemberships: true, revoke: [own], keepGroups: ['finance'] });
    expect(decision.reason).toContain("deleting would remove memberships the settings keep ('finance'), so disable instead");
  });
});

describe('decideLifecycle: reactivation', () => {
  it('enables the user and strips nothing, even with stripping on', () => {
    const decision = decide('reactivated', { lifecycle: { stripMemberships: true } });
    expect(decision).toMatchObject({ action: 'enable', stripMemberships: false, revoke: [] });
    expect(decision.reason).toBe('the IdP reactivated the user: enable it; the next evaluation restores what the rules grant');
  });

  it('lets re-planning restore what the rules grant after a strip, but not the one-time new-user groups', () => {
    const settings = settingsFrom({ defaultGroups: { newUsers: ['onboarding'], allUsers: ['everyone'] }, lifecycle: { stripMemberships: true } });
    const plan = (grants: Grant[], deprovisioned: boolean) =>
      planMemberships({ connectorId: OKTA, settings, user: { id: USER, isNew: false, deprovisioned }, idpGroups: [{ displayName: 'eng' }], currentGrants: grants });
    const onboarding = grant('onboarding', { kind: 'default', connectorId: OKTA, rule: 'newUsers' });

    const disabled = decideLifecycle({ type: 'deactivated', connectorId: OKTA, grants: [own, ownDefault, onboarding] }, settings);
    const stripped = disabled.revoke.map(grantKey);
    let grants = [own, ownDefault, onboarding].filter((g) => !stripped.includes(grantKey(g)));
    expect(grants).toEqual([]);
    expect(plan(grants, true)).toMatchObject({ grant: [], revoke: [] });

    expect(decideLifecycle({ type: 'reactivated', connectorId: OKTA, grants }, settings).action).toBe('enable');
    grants = plan(grants, false).grant;
    expect(grants).toEqual([own, ownDefault]);
  });
});
