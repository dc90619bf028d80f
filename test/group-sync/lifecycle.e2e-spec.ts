// The lifecycle of directory users and the mass-deprovisioning brake, driven by real SCIM traffic:
// Okta's deactivation (`replace` with a value object), Entra's (`Replace` of `active` with "False"),
// DELETEs, group pushes, mapping drop rules, and an admin's settings and hold decisions. Each scenario
// runs on a connector (and a directory) of its own, since the brake counts per connector; what is
// checked is what an admin sees: the directory user, its groups, the holds and the audit trail.
import { ScimClient } from '../support/scim';
import { startTestApp, TestApp } from '../support/test-app';
import { createUsers, DirectoryView, pushGroup, removeMembers, scimUser, setGroupSettings } from './support';

interface DirectoryUser {
  id: string;
  username: string;
  email: string | null;
  displayName: string | null;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  active: boolean;
  sources: { connectorId: string; connectorName: string; sourceRef: string }[];
}

interface HeldChange {
  userId: string;
  username: string | null;
  sourceRef: string;
  event: string;
  action: string;
  status: string;
  reason: string;
}

interface Hold {
  id: string;
  status: 'open' | 'approved' | 'discarded';
  reason: string;
  held: number;
  decidedAt: string | null;
  decidedBy: string | null;
  changes?: HeldChange[];
}

interface AuditEvent {
  action: string;
  actor: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, any>;
}

const LIFECYCLE_ACTIONS = [
  'directory.user.disabled',
  'directory.user.deleted',
  'directory.user.anonymised',
  'directory.user.kept',
  'directory.user.reactivated',
  'directory.user.deprovision_held',
  'directory.user.unlinked',
];

/** `prefix01@example.com` ... `prefixNN@example.com`. */
const userNames = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}@example.com`);

// What the IdPs send.
const oktaActive = (client: ScimClient, id: string, active: boolean) => client.patch(`/Users/${id}`, [{ op: 'replace', value: { active } }]);
const entraActive = (client: ScimClient, id: string, active: boolean) => client.patch(`/Users/${id}`, [{ op: 'Replace', path: 'active', value: active ? 'True' : 'False' }]);

describe('User lifecycle and the mass-deprovisioning brake', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A connector in a directory of its own (or in `directoryId`), with these group settings when given. */
  async function connector(idp: string, name: string, settings?: object, directoryId?: string): Promise<{ client: ScimClient; dir: DirectoryView }> {
    const dirId = directoryId ?? (await t.http.post('/api/v1/directories').set(t.admin).send({ name: `${name}-dir` }).expect(201)).body.id;
    const res = await t.http.post('/api/v1/connectors').set(t.admin).send({ name, idp, directoryId: dirId }).expect(201);
    const client = new ScimClient(t.http, res.body.id, res.body.token, res.body.scimBaseUrl);
    if (settings) await setGroupSettings(t, client, settings);
    return { client, dir: new DirectoryView(t, dirId) };
  }

  /** The directory user by id, as GET /users/{id} answers it; undefined on 404. */
  async function directoryUser(dir: DirectoryView, userId: string): Promise<DirectoryUser | undefined> {
    const res = await t.http.get(`/api/v1/directories/${dir.directoryId}/users/${userId}`).set(t.admin);
    if (res.status === 404) return undefined;
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Every directory user's `active`, by username. */
  async function activeByName(dir: DirectoryView): Promise<Record<string, boolean>> {
    const page = await t.http.get(`/api/v1/directories/${dir.directoryId}/users`).query({ limit: 200 }).set(t.admin).expect(200);
    return Object.fromEntries(page.body.users.map((u: DirectoryUser) => [u.username, u.active]));
  }

  async function holds(client: ScimClient): Promise<Hold[]> {
    return (await t.http.get(`/api/v1/connectors/${client.connectorId}/holds`).set(t.admin).expect(200)).body;
  }

  async function hold(client: ScimClient, holdId: string): Promise<Hold> {
    return (await t.http.get(`/api/v1/connectors/${client.connectorId}/holds/${holdId}`).set(t.admin).expect(200)).body;
  }

  function decide(client: ScimClient, holdId: string, decision: 'approve' | 'discard') {
    return t.http.post(`/api/v1/connectors/${client.connectorId}/holds/${holdId}/${decision}`).set(t.admin);
  }

  /** The connector's audit events, oldest first; only `action` when given. */
  async function audit(client: ScimClient, action?: string): Promise<AuditEvent[]> {
    const events: AuditEvent[] = (await t.http.get('/api/v1/audit-events').query({ connectorId: client.connectorId, limit: 1000 }).set(t.admin).expect(200)).body;
    return events.filter((e) => action === undefined || e.action === action).reverse();
  }

  /** The lifecycle events recorded for one directory user, oldest first. */
  async function lifecycleOf(client: ScimClient, userId: string): Promise<string[]> {
    return (await audit(client)).filter((e) => e.targetId === userId && LIFECYCLE_ACTIONS.includes(e.action)).map((e) => e.action);
  }

  /** Appends a drop rule for userType "Contractor" to the connector's mapping and waits for the re-projection. */
  async function dropContractors(client: ScimClient): Promise<void> {
    const path = `/api/v1/connectors/${client.connectorId}/mapping`;
    const { mapping } = (await t.http.get(path).set(t.admin).expect(200)).body;
    const rules = [...mapping.rules, { drop: { when: { source: { scim: 'userType' }, equals: 'Contractor' } } }];
    const res = await t.http.put(path).set(t.admin).send({ ...mapping, rules }).expect(200);
    for (;;) {
      const job = (await t.http.get(`${path}/jobs/${res.body.reprojection.id}`).set(t.admin).expect(200)).body;
      if (job.status !== 'running') {
        expect(job.status).toBe('done');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  describe('deactivation with the default settings', () => {
    let okta: ScimClient;
    let dir: DirectoryView;
    let ids: Record<string, string>;
    beforeAll(async () => {
      ({ client: okta, dir } = await connector('okta', 'okta-default'));
      ids = await createUsers(okta, ['ada@example.com', 'grace@example.com']);
      await pushGroup(okta, 'Engineering', [ids['ada@example.com']]);
    });

    it('an Okta deactivation disables the directory user and keeps its memberships', async () => {
      const res = await oktaActive(okta, ids['ada@example.com'], false).expect(200);
      expect(res.body.active).toBe(false);
      const ada = (await dir.user('ada@example.com'))!;
      expect(ada.active).toBe(false);
      expect(await dir.groupNames('ada@example.com')).toEqual(['Engineering']);
      expect(await lifecycleOf(okta, ada.id)).toEqual(['directory.user.disabled']);
      const [disabled] = await audit(okta, 'directory.user.disabled');
      expect(disabled.details.reason).toContain("the IdP deactivated the user (onDeactivate: 'disable')");
    });

    it('a disabled user receives no new memberships while disabled', async () => {
      await pushGroup(okta, 'Ops', [ids['ada@example.com']]);
      expect(await dir.groupNames('ada@example.com')).toEqual(['Engineering']);
    });

    it('an Okta reactivation enables it and grants what its IdP groups give', async () => {
      const res = await oktaActive(okta, ids['ada@example.com'], true).expect(200);
      expect(res.body.active).toBe(true);
      const ada = (await dir.user('ada@example.com'))!;
      expect(ada.active).toBe(true);
      expect(await dir.groupNames('ada@example.com')).toEqual(['Engineering', 'Ops']);
      expect(await lifecycleOf(okta, ada.id)).toEqual(['directory.user.disabled', 'directory.user.reactivated']);
    });

    it('a second identical deactivating PUT changes nothing more', async () => {
      const body = scimUser('grace@example.com', { active: false });
      await okta.put(`/Users/${ids['grace@example.com']}`, body).expect(200);
      const grace = (await dir.user('grace@example.com'))!;
      expect(grace.active).toBe(false);
      expect(await lifecycleOf(okta, grace.id)).toEqual(['directory.user.disabled']);

      await okta.put(`/Users/${ids['grace@example.com']}`, body).expect(200);
      expect((await dir.user('grace@example.com'))!.active).toBe(false);
      expect(await lifecycleOf(okta, grace.id)).toEqual(['directory.user.disabled']);
      expect(await holds(okta)).toEqual([]);
    });
  });

  it("onDeactivate 'keep': a deactivated user stays active with its memberships", async () => {
    const { client, dir } = await connector('okta', 'okta-keep', { lifecycle: { onDeactivate: 'keep' } });
    const ids = await createUsers(client, ['kate@example.com']);
    await pushGroup(client, 'Engineering', [ids['kate@example.com']]);
    expect((await oktaActive(client, ids['kate@example.com'], false).expect(200)).body.active).toBe(false);
    const kate = (await dir.user('kate@example.com'))!;
    expect(kate.active).toBe(true);
    expect(await dir.groupNames('kate@example.com')).toEqual(['Engineering']);
    const [kept] = await audit(client, 'directory.user.kept');
    expect(kept).toMatchObject({ targetId: kate.id, details: { event: 'deactivated', reason: expect.stringContaining("onDeactivate: 'keep'") } });
  });

  it('stripMemberships: deactivation removes memberships except never-remove ones; reactivation restores what the IdP groups grant', async () => {
    const { client, dir } = await connector('okta', 'okta-strip', { neverRemove: ['legal-hold'], lifecycle: { stripMemberships: true } });
    const sid = (await createUsers(client, ['sid@example.com']))['sid@example.com'];
    await pushGroup(client, 'Engineering', [sid]);
    await pushGroup(client, 'legal-hold', [sid]);
    const user = (await dir.user('sid@example.com'))!;
    const vpn = (await t.http.post(`/api/v1/directories/${dir.directoryId}/groups`).set(t.admin).send({ displayName: 'vpn' }).expect(201)).body.id;
    await t.http.put(`/api/v1/directories/${dir.directoryId}/groups/${vpn}/members/${user.id}`).set(t.admin).expect(200);
    expect(await dir.groupNames('sid@example.com')).toEqual(['Engineering', 'legal-hold', 'vpn']);

    await oktaActive(client, sid, false).expect(200);
    expect((await dir.user('sid@example.com'))!.active).toBe(false);
    // Stripping takes every source's grants, an admin's too; never-remove groups stay.
    expect(await dir.groupNames('sid@example.com')).toEqual(['legal-hold']);
    const [disabled] = await audit(client, 'directory.user.disabled');
    expect(disabled.details.revoked.sort()).toEqual(['Engineering', 'vpn']);
    expect(disabled.details.reason).toContain('memberships stripped except never-remove groups');

    await oktaActive(client, sid, true).expect(200);
    expect((await dir.user('sid@example.com'))!.active).toBe(true);
    // The IdP's groups come back; the admin's grant does not (no rule grants it).
    expect(await dir.groupNames('sid@example.com')).toEqual(['Engineering', 'legal-hold']);
  });

  describe('deletion at the IdP (onDelete)', () => {
    it("'disable' (the default): the directory user is disabled and unlinked; what the record's IdP groups granted goes with it", async () => {
      const { client, dir } = await connector('okta', 'okta-delete-disable');
      const id = (await createUsers(client, ['dora@example.com']))['dora@example.com'];
      await pushGroup(client, 'Engineering', [id]);
      const dora = (await dir.user('dora@example.com'))!;
      await client.delete(`/Users/${id}`).expect(204);
      await client.get(`/Users/${id}`).expect(404);
      expect(await directoryUser(dir, dora.id)).toMatchObject({ username: 'dora@example.com', active: false, sources: [] });
      expect(await dir.groupNames('dora@example.com')).toEqual([]);
      const [disabled] = await audit(client, 'directory.user.disabled');
      expect(disabled).toMatchObject({ targetId: dora.id, details: { event: 'deleted', reason: expect.stringContaining("onDelete: 'disable'") } });
    });

    it("'delete': the directory user and its memberships are gone", async () => {
      const { client, dir } = await connector('okta', 'okta-delete-delete', { lifecycle: { onDelete: 'delete' } });
      const id = (await createUsers(client, ['dan@example.com']))['dan@example.com'];
      await pushGroup(client, 'Engineering', [id]);
      const dan = (await dir.user('dan@example.com'))!;
      await client.delete(`/Users/${id}`).expect(204);
      await t.http.get(`/api/v1/directories/${dir.directoryId}/users/${dan.id}`).set(t.admin).expect(404);
      expect(await dir.user('dan@example.com')).toBeUndefined();
      const group = (await dir.group('Engineering'))!;
      const members = await t.http.get(`/api/v1/directories/${dir.directoryId}/groups/${group.id}/members`).set(t.admin).expect(200);
      expect(members.body.total).toBe(0);
      expect(await lifecycleOf(client, dan.id)).toEqual(['directory.user.deleted']);
    });

    it("'anonymise': the directory user stays, disabled, with nothing identifying left", async () => {
      const { client, dir } = await connector('okta', 'okta-delete-anonymise', { lifecycle: { onDelete: 'anonymise' } });
      const id = (await client.post('/Users', scimUser('anna@example.com', { displayName: 'Anna Example', title: 'Analyst' })).expect(201)).body.id;
      const anna = (await dir.user('anna@example.com'))!;
      expect(await directoryUser(dir, anna.id)).toMatchObject({ email: 'anna@example.com', displayName: 'Anna Example', title: 'Analyst' });
      await client.delete(`/Users/${id}`).expect(204);
      expect(await directoryUser(dir, anna.id)).toMatchObject({
        username: `anonymised-${anna.id}`,
        email: null,
        displayName: null,
        firstName: null,
        lastName: null,
        title: null,
        active: false,
        sources: [],
      });
      expect(await dir.user('anna@example.com')).toBeUndefined();
      expect(await lifecycleOf(client, anna.id)).toEqual(['directory.user.anonymised']);
    });

    it("'keep': the directory user stays active and unchanged", async () => {
      const { client, dir } = await connector('okta', 'okta-delete-keep', { lifecycle: { onDelete: 'keep' } });
      const id = (await client.post('/Users', scimUser('kim@example.com', { displayName: 'Kim Example' })).expect(201)).body.id;
      await pushGroup(client, 'Engineering', [id]);
      const kim = (await dir.user('kim@example.com'))!;
      const before = (await directoryUser(dir, kim.id))!;
      await client.delete(`/Users/${id}`).expect(204);
      const after = (await directoryUser(dir, kim.id))!;
      const { sources: _before, updatedAt: _b, ...fieldsBefore } = before as DirectoryUser & { updatedAt: string };
      const { sources, updatedAt: _a, ...fieldsAfter } = after as DirectoryUser & { updatedAt: string };
      expect(fieldsAfter).toEqual(fieldsBefore);
      expect(after.active).toBe(true);
      expect(sources).toEqual([]);
      expect(await dir.groupNames('kim@example.com')).toEqual(['Engineering']);
    });

    it('a user fed by two connectors and deleted at one stays active and loses only that connector’s grants', async () => {
      const { client: okta, dir } = await connector('okta', 'okta-two-sources');
      // Even a connector set to delete users only unlinks one that another connector still feeds.
      const { client: other } = await connector('generic', 'generic-two-sources', { lifecycle: { onDelete: 'delete' } }, dir.directoryId);
      const fromOkta = (await createUsers(okta, ['lin@example.com']))['lin@example.com'];
      const fromOther = (await createUsers(other, ['lin@example.com']))['lin@example.com'];
      const lin = (await dir.user('lin@example.com'))!;
      expect((await directoryUser(dir, lin.id))!.sources.map((s) => s.connectorName).sort()).toEqual(['generic-two-sources', 'okta-two-sources']);
      await pushGroup(okta, 'Shared', [fromOkta]);
      await pushGroup(okta, 'OktaOnly', [fromOkta]);
      await pushGroup(other, 'Shared', [fromOther]);
      await pushGroup(other, 'OtherOnly', [fromOther]);
      expect((await dir.groupsOf('lin@example.com')).Shared).toHaveLength(2);

      await other.delete(`/Users/${fromOther}`).expect(204);
      expect(await directoryUser(dir, lin.id)).toMatchObject({ active: true, sources: [expect.objectContaining({ connectorId: okta.connectorId, sourceRef: fromOkta })] });
      expect(await dir.groupsOf('lin@example.com')).toEqual({
        OktaOnly: [expect.objectContaining({ kind: 'connector', connectorId: okta.connectorId, idpGroup: 'OktaOnly' })],
        Shared: [expect.objectContaining({ kind: 'connector', connectorId: okta.connectorId, idpGroup: 'Shared' })],
      });
      const [unlinked] = await audit(other, 'directory.user.unlinked');
      expect(unlinked.targetId).toBe(lin.id);
      expect(unlinked.details.revoked.sort()).toEqual(['OtherOnly', 'Shared']);
      expect(await lifecycleOf(other, lin.id)).toEqual(['directory.user.unlinked']);
    });

    it('a second connector’s inactive record never disables a linked user by itself: its onDeactivate decides', async () => {
      const { client: okta, dir } = await connector('okta', 'okta-link-inactive');
      const { client: keeps } = await connector('generic', 'generic-keeps', { lifecycle: { onDeactivate: 'keep' } }, dir.directoryId);
      const { client: disables } = await connector('generic', 'generic-disables', undefined, dir.directoryId);
      await createUsers(okta, ['max@example.com']);
      await keeps.post('/Users', { ...scimUser('max@example.com'), active: false }).expect(201);
      expect((await dir.user('max@example.com'))!.active).toBe(true);
      const max = (await dir.user('max@example.com'))!;
      expect((await directoryUser(dir, max.id))!.sources).toHaveLength(2);
      expect(await lifecycleOf(keeps, max.id)).toEqual(['directory.user.kept']);
      // With the default onDeactivate (disable), linking an inactive record disables, through the lifecycle.
      await disables.post('/Users', { ...scimUser('max@example.com'), active: false }).expect(201);
      expect((await dir.user('max@example.com'))!.active).toBe(false);
      expect(await lifecycleOf(disables, max.id)).toEqual(['directory.user.disabled']);
    });

    it('the brake counts a second connector’s inactive record that would disable a linked active user', async () => {
      const { client: okta, dir } = await connector('okta', 'okta-link-brake');
      // minUsers 0: the brake holds the very first deprovision of an active user.
      const { client: braked } = await connector('generic', 'generic-link-brake', { brake: { minUsers: 0 } }, dir.directoryId);
      await createUsers(okta, ['ivy@example.com']);
      await braked.post('/Users', { ...scimUser('ivy@example.com'), active: false }).expect(201);
      const ivy = (await dir.user('ivy@example.com'))!;
      expect(ivy.active).toBe(true);
      expect(await lifecycleOf(braked, ivy.id)).toEqual(['directory.user.deprovision_held']);
      const [open] = await holds(braked);
      expect(open).toMatchObject({ status: 'open' });
      await decide(braked, open.id, 'approve').expect(200);
      expect((await dir.user('ivy@example.com'))!.active).toBe(false);
    });

    it('a second connector’s active record enables a linked user no other connector holds disabled', async () => {
      const { client: okta, dir } = await connector('okta', 'okta-link-active', { lifecycle: { onDelete: 'disable' } });
      const { client: entra } = await connector('entra', 'entra-link-active', undefined, dir.directoryId);
      const { client: late } = await connector('generic', 'generic-link-active', undefined, dir.directoryId);
      const ids = await createUsers(okta, ['zoe@example.com', 'ned@example.com']);
      // Okta deactivates Zoe: disabled, and Okta's link holds her so until Okta reactivates her.
      await oktaActive(okta, ids['zoe@example.com'], false).expect(200);
      await createUsers(entra, ['zoe@example.com']);
      expect((await dir.user('zoe@example.com'))!.active).toBe(false);
      await oktaActive(okta, ids['zoe@example.com'], true).expect(200);
      expect((await dir.user('zoe@example.com'))!.active).toBe(true);
      // Okta deletes Ned's record: disabled, and no link is left holding him.
      await okta.delete(`/Users/${ids['ned@example.com']}`).expect(204);
      expect((await dir.user('ned@example.com'))!.active).toBe(false);
      await createUsers(late, ['ned@example.com']);
      expect((await dir.user('ned@example.com'))!.active).toBe(true);
    });
  });

  describe('required groups', () => {
    let client: ScimClient;
    let dir: DirectoryView;
    let sam: string;
    let staff: string;
    beforeAll(async () => {
      ({ client, dir } = await connector('okta', 'okta-required', { requiredGroups: ['Staff'] }));
    });

    it('a new user in none of the required groups is created disabled, and its IdP groups grant nothing yet', async () => {
      sam = (await createUsers(client, ['sam@example.com']))['sam@example.com'];
      expect((await client.get(`/Users/${sam}`).expect(200)).body.active).toBe(true);
      expect((await dir.user('sam@example.com'))!.active).toBe(false);
      await pushGroup(client, 'Engineering', [sam]);
      expect(await dir.groupNames('sam@example.com')).toEqual([]);
      expect(await holds(client)).toEqual([]);
    });

    it('joining a required group at the IdP makes the user active with every membership its IdP groups give', async () => {
      staff = await pushGroup(client, 'Staff', [sam]);
      expect((await dir.user('sam@example.com'))!.active).toBe(true);
      expect(await dir.groupNames('sam@example.com')).toEqual(['Engineering', 'Staff']);
      const why = await dir.why('sam@example.com', 'Staff');
      expect(why.member).toBe(true);
      expect(why.reasons).toEqual([expect.objectContaining({ lasting: true, reason: expect.stringContaining("IdP group 'Staff'") })]);
      const group = (await dir.group('Staff'))!;
      const members = (await t.http.get(`/api/v1/directories/${dir.directoryId}/groups/${group.id}/members`).set(t.admin).expect(200)).body;
      expect(members).toMatchObject({ total: 1, members: [{ username: 'sam@example.com', active: true }] });
    });

    it("leaving every required group disables the user again (onOutOfScope 'disable'); other memberships stay", async () => {
      await removeMembers(client, staff, [sam]);
      const user = (await dir.user('sam@example.com'))!;
      expect(user.active).toBe(false);
      expect(await dir.groupNames('sam@example.com')).toEqual(['Engineering']);
      expect((await dir.why('sam@example.com', 'Staff')).member).toBe(false);
      const staffGroup = (await dir.group('Staff'))!;
      expect((await t.http.get(`/api/v1/directories/${dir.directoryId}/groups/${staffGroup.id}/members`).set(t.admin).expect(200)).body.total).toBe(0);
      const engineering = (await dir.group('Engineering'))!;
      const members = (await t.http.get(`/api/v1/directories/${dir.directoryId}/groups/${engineering.id}/members`).set(t.admin).expect(200)).body;
      expect(members.members).toEqual([expect.objectContaining({ username: 'sam@example.com', active: false })]);
      const disabled = await audit(client, 'directory.user.disabled');
      expect(disabled.at(-1)).toMatchObject({ targetId: user.id, details: { event: 'outOfScope', reason: expect.stringContaining("onOutOfScope: 'disable'") } });
    });

    it("a user kept while deactivated (onDeactivate 'keep') and reactivated outside every required group is disabled", async () => {
      const { client: kept, dir: kdir } = await connector('okta', 'okta-required-keep', { requiredGroups: ['Staff'], lifecycle: { onDeactivate: 'keep' } });
      const id = (await createUsers(kept, ['kay@example.com']))['kay@example.com'];
      const group = await pushGroup(kept, 'Staff', [id]);
      await oktaActive(kept, id, false).expect(200);
      expect((await kdir.user('kay@example.com'))!.active).toBe(true);
      await removeMembers(kept, group, [id]);
      await oktaActive(kept, id, true).expect(200);
      const kay = (await kdir.user('kay@example.com'))!;
      expect(kay.active).toBe(false);
      // Created before joining Staff: disabled, then enabled by the push.
      expect(await lifecycleOf(kept, kay.id)).toEqual(['directory.user.disabled', 'directory.user.reactivated', 'directory.user.kept', 'directory.user.disabled']);
    });

    it('users created out of scope are never counted by the brake, which still guards those in scope', async () => {
      // minUsers 0: the brake would hold the very first deprovision of an active user.
      const { client: guarded, dir: gdir } = await connector('okta', 'okta-required-brake', { requiredGroups: ['Staff'], brake: { minUsers: 0 } });
      const staffer = (await createUsers(guarded, ['staffer@example.com']))['staffer@example.com'];
      const group = await pushGroup(guarded, 'Staff', [staffer]);
      expect((await gdir.user('staffer@example.com'))!.active).toBe(true);

      await createUsers(guarded, ['new1@example.com', 'new2@example.com', 'new3@example.com']);
      const active = await activeByName(gdir);
      expect(active).toEqual({ 'new1@example.com': false, 'new2@example.com': false, 'new3@example.com': false, 'staffer@example.com': true });
      expect(await holds(guarded)).toEqual([]);

      await removeMembers(guarded, group, [staffer]);
      expect((await gdir.user('staffer@example.com'))!.active).toBe(true);
      const [held] = await holds(guarded);
      expect(held).toMatchObject({ status: 'open', held: 1 });
      expect((await hold(guarded, held.id)).changes).toEqual([expect.objectContaining({ username: 'staffer@example.com', event: 'outOfScope', action: 'disable', status: 'held' })]);
    });
    it("a user deleted for leaving scope (onOutOfScope 'delete') comes back when a settings change brings it back in scope", async () => {
      const { client: c, dir: d } = await connector('okta', 'okta-required-delete', { requiredGroups: ['Staff'], lifecycle: { onOutOfScope: 'delete' } });
      await createUsers(c, ['zed@example.com']);
      expect(await d.user('zed@example.com')).toBeUndefined();
      await setGroupSettings(t, c, { lifecycle: { onOutOfScope: 'delete' } });
      expect(await d.user('zed@example.com')).toMatchObject({ username: 'zed@example.com', active: true });
    });
  });

  describe('dropped by a mapping rule', () => {
    it("onDropped 'disable' (the default): the user is disabled while the rule drops it, and comes back when it no longer does", async () => {
      const { client, dir } = await connector('entra', 'entra-drop');
      await dropContractors(client);
      const carl = (await createUsers(client, ['carl@example.com']))['carl@example.com'];
      await pushGroup(client, 'Engineering', [carl]);
      expect((await dir.user('carl@example.com'))!.active).toBe(true);

      await client.patch(`/Users/${carl}`, [{ op: 'Add', path: 'userType', value: 'Contractor' }]).expect(204);
      const user = (await dir.user('carl@example.com'))!;
      expect(user.active).toBe(false);
      expect(await dir.groupNames('carl@example.com')).toEqual(['Engineering']);
      const [disabled] = await audit(client, 'directory.user.disabled');
      expect(disabled).toMatchObject({ targetId: user.id, details: { event: 'dropped', reason: expect.stringContaining("a mapping rule dropped the user (onDropped: 'disable')") } });

      await client.patch(`/Users/${carl}`, [{ op: 'Replace', path: 'userType', value: 'Employee' }]).expect(204);
      expect((await dir.user('carl@example.com'))!.active).toBe(true);
    });

    it("onDropped 'delete': the directory user is deleted, and projected anew when the rule no longer drops it", async () => {
      const { client, dir } = await connector('entra', 'entra-drop-delete', { lifecycle: { onDropped: 'delete' } });
      await dropContractors(client);
      const cora = (await createUsers(client, ['cora@example.com']))['cora@example.com'];
      const before = (await dir.user('cora@example.com'))!;

      await client.patch(`/Users/${cora}`, [{ op: 'Add', path: 'userType', value: 'Contractor' }]).expect(204);
      await t.http.get(`/api/v1/directories/${dir.directoryId}/users/${before.id}`).set(t.admin).expect(404);
      expect(await dir.user('cora@example.com')).toBeUndefined();
      // A later write while the rule still drops the record does not bring it back.
      await client.patch(`/Users/${cora}`, [{ op: 'Replace', path: 'title', value: 'Consultant' }]).expect(204);
      expect(await dir.user('cora@example.com')).toBeUndefined();

      await client.patch(`/Users/${cora}`, [{ op: 'Remove', path: 'userType' }]).expect(204);
      const after = (await dir.user('cora@example.com'))!;
      expect(after.id).not.toBe(before.id);
      expect(await directoryUser(dir, after.id)).toMatchObject({ active: true, title: 'Consultant', sources: [expect.objectContaining({ sourceRef: cora })] });
    });

    it('a mapping change that starts dropping stored users disables them', async () => {
      const { client, dir } = await connector('okta', 'okta-drop-later');
      await client.post('/Users', scimUser('tom@example.com', { userType: 'Contractor' })).expect(201);
      await createUsers(client, ['una@example.com']);
      await dropContractors(client);
      expect(await activeByName(dir)).toEqual({ 'tom@example.com': false, 'una@example.com': true });
    });
  });

  describe('the mass-deprovisioning brake', () => {
    describe('deactivations one at a time, approved (Okta)', () => {
      const names = userNames('okta-b', 25);
      let okta: ScimClient;
      let dir: DirectoryView;
      let ids: Record<string, string>;
      let holdId: string;
      beforeAll(async () => {
        ({ client: okta, dir } = await connector('okta', 'okta-brake'));
        ids = await createUsers(okta, names);
      });

      it('the first two of 25 apply (8%)', async () => {
        for (const name of names.slice(0, 2)) await oktaActive(okta, ids[name], false).expect(200);
        const active = await activeByName(dir);
        expect(names.filter((n) => !active[n])).toEqual(names.slice(0, 2));
        expect(await holds(okta)).toEqual([]);
      });

      it('the third exceeds 10% and opens a hold: the IdP gets 200 and sees the user inactive, the directory user stays active', async () => {
        const res = await oktaActive(okta, ids[names[2]], false).expect(200);
        expect(res.body.active).toBe(false);
        expect((await okta.get(`/Users/${ids[names[2]]}`).expect(200)).body.active).toBe(false);
        expect((await dir.user(names[2]))!.active).toBe(true);
        const list = await holds(okta);
        expect(list).toEqual([expect.objectContaining({ status: 'open', held: 1, decidedAt: null })]);
        expect(list[0].reason).toBe('3 of 25 active users (12%) would be deprovisioned within 300 seconds, more than the 10% limit: held for an admin to confirm');
        holdId = list[0].id;
        expect(await audit(okta, 'connector.brake_held')).toEqual([expect.objectContaining({ targetId: holdId })]);
      });

      it('further deprovisions, a deletion too, join the same hold; the directory users stay active', async () => {
        await oktaActive(okta, ids[names[3]], false).expect(200);
        await okta.delete(`/Users/${ids[names[4]]}`).expect(204);
        await okta.get(`/Users/${ids[names[4]]}`).expect(404);
        const list = await holds(okta);
        expect(list).toHaveLength(1);
        expect(list[0]).toMatchObject({ id: holdId, status: 'open', held: 3 });
        expect((await hold(okta, holdId)).changes).toEqual([
          expect.objectContaining({ username: names[2], event: 'deactivated', action: 'disable', status: 'held' }),
          expect.objectContaining({ username: names[3], event: 'deactivated', action: 'disable', status: 'held' }),
          expect.objectContaining({ username: names[4], event: 'deleted', action: 'disable', status: 'held' }),
        ]);
        const active = await activeByName(dir);
        expect(names.slice(2, 5).map((n) => active[n])).toEqual([true, true, true]);
      });

      it('approving applies the held deprovisions as the settings say', async () => {
        const res = await decide(okta, holdId, 'approve').expect(200);
        expect(res.body).toMatchObject({ id: holdId, status: 'approved', held: 3, decidedBy: 'admin' });
        expect(res.body.decidedAt).not.toBeNull();
        expect(res.body.changes.map((c: HeldChange) => c.status)).toEqual(['approved', 'approved', 'approved']);
        const active = await activeByName(dir);
        expect(names.filter((n) => !active[n])).toEqual(names.slice(0, 5));
        const deleted = (await dir.user(names[4]))!;
        expect((await directoryUser(dir, deleted.id))!.sources).toEqual([]);
        expect(await holds(okta)).toEqual([expect.objectContaining({ id: holdId, status: 'approved' })]);
        expect(await audit(okta, 'connector.hold_approved')).toEqual([expect.objectContaining({ targetId: holdId, details: { held: 3 } })]);
      });

      it('a hold is decided once: approving or discarding it again is 409', async () => {
        await decide(okta, holdId, 'approve').expect(409);
        await decide(okta, holdId, 'discard').expect(409);
        expect((await hold(okta, holdId)).status).toBe('approved');
      });

      it('after the decision the count starts afresh: the next deactivation applies', async () => {
        await oktaActive(okta, ids[names[5]], false).expect(200);
        expect((await dir.user(names[5]))!.active).toBe(false);
        expect(await holds(okta)).toHaveLength(1);
      });
    });

    describe('a discarded hold (Entra)', () => {
      const names = userNames('entra-b', 25);
      let entra: ScimClient;
      let dir: DirectoryView;
      let ids: Record<string, string>;
      beforeAll(async () => {
        ({ client: entra, dir } = await connector('entra', 'entra-brake'));
        ids = await createUsers(entra, names);
        for (const name of names.slice(0, 3)) await entraActive(entra, ids[name], false).expect(204);
      });

      it('discarding leaves the held users active; the SCIM view keeps what the IdP wrote', async () => {
        const [open] = await holds(entra);
        expect(open).toMatchObject({ status: 'open', held: 1 });
        const res = await decide(entra, open.id, 'discard').expect(200);
        expect(res.body).toMatchObject({ status: 'discarded', decidedBy: 'admin', changes: [expect.objectContaining({ username: names[2], status: 'discarded' })] });
        expect((await dir.user(names[2]))!.active).toBe(true);
        expect((await entra.get(`/Users/${ids[names[2]]}`).expect(200)).body.active).toBe(false);
        expect(await audit(entra, 'connector.hold_discarded')).toHaveLength(1);
      });

      it('the IdP repeating the deactivation changes nothing: a discarded hold stays discarded', async () => {
        await entraActive(entra, ids[names[2]], false).expect(204);
        await entra.put(`/Users/${ids[names[2]]}`, scimUser(names[2], { active: false })).expect(200);
        expect((await dir.user(names[2]))!.active).toBe(true);
        expect(await holds(entra)).toEqual([expect.objectContaining({ status: 'discarded' })]);
      });

      it('a reactivation and a new deactivation are judged afresh', async () => {
        await entraActive(entra, ids[names[2]], true).expect(204);
        await entraActive(entra, ids[names[2]], false).expect(204);
        expect((await dir.user(names[2]))!.active).toBe(false);
        expect(await holds(entra)).toHaveLength(1);
      });
    });

    it('a user the IdP reactivates while its deprovision is held is left alone by the approval', async () => {
      const { client, dir } = await connector('okta', 'okta-brake-reactivated');
      const names = userNames('re', 25);
      const ids = await createUsers(client, names);
      for (const name of names.slice(0, 4)) await oktaActive(client, ids[name], false).expect(200);
      await oktaActive(client, ids[names[2]], true).expect(200);
      const [open] = await holds(client);
      expect(open).toMatchObject({ status: 'open', held: 2 });
      await decide(client, open.id, 'approve').expect(200);
      const active = await activeByName(dir);
      expect(names.filter((n) => !active[n])).toEqual([names[0], names[1], names[3]]);
    });

    it('approving while the IdP deletes the held users succeeds, and no deprovision is lost', async () => {
      const { client, dir } = await connector('okta', 'okta-brake-race');
      const names = userNames('race', 25);
      const ids = await createUsers(client, names);
      for (const name of names.slice(0, 12)) await oktaActive(client, ids[name], false).expect(200);
      const [open] = await holds(client);
      expect(open).toMatchObject({ status: 'open', held: 10 });
      const [approval, ...deletions] = await Promise.all([decide(client, open.id, 'approve'), ...names.slice(2, 12).map((n) => client.delete(`/Users/${ids[n]}`))]);
      expect(approval.status).toBe(200);
      expect(deletions.map((d) => d.status)).toEqual(names.slice(2, 12).map(() => 204));
      const active = await activeByName(dir);
      expect(names.filter((n) => !active[n])).toEqual(names.slice(0, 12));
      expect((await holds(client)).map((h) => h.status)).toEqual(['approved']);
    });

    it('ten parallel deactivations: exactly one hold, and every deprovision is either applied or held', async () => {
      const { client, dir } = await connector('okta', 'okta-parallel');
      const names = userNames('par', 25);
      const ids = await createUsers(client, names);
      const targets = names.slice(0, 10);
      const answers = await Promise.all(targets.map((n) => oktaActive(client, ids[n], false)));
      expect(answers.map((a) => [a.status, a.body.active])).toEqual(targets.map(() => [200, false]));

      const list = await holds(client);
      expect(list).toEqual([expect.objectContaining({ status: 'open' })]);
      const held = (await hold(client, list[0].id)).changes!.map((c) => c.username!);
      const active = await activeByName(dir);
      const disabled = names.filter((n) => !active[n]);
      // Serialised per connector: 2 of 25 pass the 10% limit, the other 8 wait in the hold.
      expect(disabled).toHaveLength(2);
      expect(held).toHaveLength(8);
      expect([...disabled, ...held].sort()).toEqual(targets);
      expect(list[0].held).toBe(8);
    });

    it('with the brake off, a mass deactivation applies at once', async () => {
      const { client, dir } = await connector('okta', 'okta-no-brake', { brake: { enabled: false } });
      const names = userNames('off', 25);
      const ids = await createUsers(client, names);
      await Promise.all(names.slice(0, 10).map((n) => oktaActive(client, ids[n], false).expect(200)));
      const active = await activeByName(dir);
      expect(names.filter((n) => !active[n])).toEqual(names.slice(0, 10));
      expect(await holds(client)).toEqual([]);
    });
  });
});
