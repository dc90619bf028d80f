// Group sync strategies driven by real SCIM traffic: Okta's group push (group created, then members
// PATCHed), Entra's membership PATCHes, each connector's settings changed through the admin API; the
// directory's groups and memberships checked as an admin sees them, with the grant behind each.
import { DataSource } from 'typeorm';
import { GROUP_SCHEMA, ScimClient } from '../support/scim';
import { startTestApp, TestApp } from '../support/test-app';
import { addMembers, createUsers, DirectoryView, pushGroup, removeMembers, scimUser, setGroupSettings } from './support';

describe('Group sync strategies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A connector in a directory of its own, so scenarios do not see each other's groups. */
  async function connector(idp: string, name: string): Promise<{ client: ScimClient; dir: DirectoryView }> {
    const directory = await t.http.post('/api/v1/directories').set(t.admin).send({ name: `${name}-dir` }).expect(201);
    const res = await t.http.post('/api/v1/connectors').set(t.admin).send({ name, idp, directoryId: directory.body.id }).expect(201);
    const client = new ScimClient(t.http, res.body.id, res.body.token, res.body.scimBaseUrl);
    return { client, dir: new DirectoryView(t, directory.body.id) };
  }

  describe('on-the-fly (the default)', () => {
    let okta: ScimClient;
    let dir: DirectoryView;
    let ids: Record<string, string>;
    let engineering: string;
    beforeAll(async () => {
      ({ client: okta, dir } = await connector('okta', 'okta-otf'));
      ids = await createUsers(okta, ['ada@example.com', 'alan@example.com', 'grace@example.com']);
    });

    it('an Okta group push creates the directory group and grants its members, with provenance', async () => {
      engineering = await pushGroup(okta, 'Engineering', [ids['ada@example.com'], ids['alan@example.com']]);
      expect(await dir.groupsOf('ada@example.com')).toEqual({
        Engineering: [expect.objectContaining({ kind: 'connector', connectorId: okta.connectorId, idpGroup: 'Engineering' })],
      });
      expect(await dir.groupNames('alan@example.com')).toEqual(['Engineering']);
      expect(await dir.groupNames('grace@example.com')).toEqual([]);
      const why = await dir.why('ada@example.com', 'Engineering');
      expect(why.member).toBe(true);
      expect(why.reasons).toEqual([
        expect.objectContaining({ connectorName: 'okta-otf', lasting: true, reason: expect.stringContaining("IdP group 'Engineering' has the same name (on-the-fly)") }),
      ]);
    });

    it('removing a member at the IdP revokes only that membership', async () => {
      await removeMembers(okta, engineering, [ids['alan@example.com']]);
      expect(await dir.groupNames('alan@example.com')).toEqual([]);
      expect(await dir.groupNames('ada@example.com')).toEqual(['Engineering']);
      expect((await dir.why('alan@example.com', 'Engineering')).member).toBe(false);
    });

    it('a group rename moves its members to the directory group of the new name', async () => {
      await okta.patch(`/Groups/${engineering}`, [{ op: 'replace', value: { id: engineering, displayName: 'R&D' } }]).expect(200);
      expect(await dir.groupNames('ada@example.com')).toEqual(['R&D']);
      expect(await dir.group('Engineering')).toBeDefined();
    });

    it('a PUT of the group grants and revokes the difference', async () => {
      await okta
        .put(`/Groups/${engineering}`, { schemas: [GROUP_SCHEMA], displayName: 'R&D', members: [{ value: ids['grace@example.com'] }, { value: ids['alan@example.com'] }] })
        .expect(200);
      expect(await dir.groupNames('ada@example.com')).toEqual([]);
      expect(await dir.groupNames('grace@example.com')).toEqual(['R&D']);
      expect(await dir.groupNames('alan@example.com')).toEqual(['R&D']);
    });

    it('deleting the IdP group revokes what it granted; the directory group stays', async () => {
      await okta.delete(`/Groups/${engineering}`).expect(204);
      expect(await dir.groupNames('grace@example.com')).toEqual([]);
      expect(await dir.groupNames('alan@example.com')).toEqual([]);
      expect(await dir.group('R&D')).toBeDefined();
    });

    it('a group created with members (POST with members) grants at once', async () => {
      await okta.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ops', members: [{ value: ids['grace@example.com'] }] }).expect(201);
      expect(await dir.groupNames('grace@example.com')).toEqual(['Ops']);
    });

    it('50 concurrent PATCHes adding distinct members to one group lose no membership', async () => {
      const many = await createUsers(okta, Array.from({ length: 50 }, (_, i) => `bulk${i}@example.com`));
      const group = await pushGroup(okta, 'Everyone');
      await Promise.all(Object.values(many).map((id) => addMembers(okta, group, [id])));
      const res = await t.http.get(`/api/v1/directories/${dir.directoryId}/groups/${(await dir.group('Everyone'))!.id}/members`).query({ limit: 200 }).set(t.admin).expect(200);
      expect(res.body.total).toBe(50);
    });

    it('concurrent pushes of different groups for one user grant all of them', async () => {
      const groups = await Promise.all(['G1', 'G2', 'G3', 'G4', 'G5'].map((name) => pushGroup(okta, name)));
      await Promise.all(groups.map((g) => addMembers(okta, g, [ids['ada@example.com']])));
      expect(await dir.groupNames('ada@example.com')).toEqual(['G1', 'G2', 'G3', 'G4', 'G5']);
    });
  });

  it('Entra membership PATCHes (add with a value array, remove by value filter) grant and revoke', async () => {
    const { client: entra, dir } = await connector('entra', 'entra-otf');
    const ids = await createUsers(entra, ['kim@contoso.com', 'lee@contoso.com']);
    const group = (await entra.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Sales', externalId: 'e-1' }).expect(201)).body.id;
    await entra.patch(`/Groups/${group}`, [{ op: 'Add', path: 'members', value: [{ value: ids['kim@contoso.com'] }, { value: ids['lee@contoso.com'] }] }]).expect(204);
    expect(await dir.groupNames('kim@contoso.com')).toEqual(['Sales']);
    await entra.patch(`/Groups/${group}`, [{ op: 'Remove', path: `members[value eq "${ids['kim@contoso.com']}"]` }]).expect(204);
    expect(await dir.groupNames('kim@contoso.com')).toEqual([]);
    expect(await dir.groupNames('lee@contoso.com')).toEqual(['Sales']);
  });

  it('strategy none keeps IdP groups in the SCIM view and gives no memberships', async () => {
    const { client, dir } = await connector('okta', 'okta-none');
    await setGroupSettings(t, client, { strategy: 'none' });
    const ids = await createUsers(client, ['nina@example.com']);
    const group = await pushGroup(client, 'Engineering', [ids['nina@example.com']]);
    expect((await client.get(`/Groups/${group}`).expect(200)).body.members).toHaveLength(1);
    expect(await dir.groupNames('nina@example.com')).toEqual([]);
    expect(await dir.group('Engineering')).toBeUndefined();
  });

  describe('manual mapping', () => {
    let client: ScimClient;
    let dir: DirectoryView;
    let ids: Record<string, string>;
    beforeAll(async () => {
      ({ client, dir } = await connector('okta', 'okta-manual'));
      await setGroupSettings(t, client, {
        strategy: 'manual',
        manual: {
          mappings: [
            { name: 'Okta-Engineering', groups: ['engineering', 'confluence-users'] },
            { externalId: '00g-finance', groups: ['finance'] },
            { pattern: '^jira-', groups: ['jira-users'] },
            { name: 'Okta-Imported', groups: ['imported'] },
          ],
          importEmptyMappedGroups: true,
        },
      });
      ids = await createUsers(client, ['maria@example.com']);
    });

    it('maps by name to several groups, by externalId and by pattern; unmapped IdP groups are ignored', async () => {
      const member = [ids['maria@example.com']];
      await pushGroup(client, 'okta-engineering', member);
      await pushGroup(client, 'Finance (renamed at Okta)', member, '00g-finance');
      await pushGroup(client, 'jira-admins', member);
      await pushGroup(client, 'Unmapped', member);
      expect(await dir.groupNames('maria@example.com')).toEqual(['confluence-users', 'engineering', 'finance', 'jira-users']);
      expect(await dir.group('Unmapped')).toBeUndefined();
      const why = await dir.why('maria@example.com', 'engineering');
      expect(why.reasons[0].reason).toContain("IdP group 'okta-engineering' maps to 'engineering' (manual mapping #1)");
    });

    it('imports a mapped IdP group before it has members when asked to', async () => {
      await pushGroup(client, 'Okta-Imported');
      expect(await dir.group('imported')).toBeDefined();
    });
  });

  it('onlyAssign and neverAssign filter what IdP groups assign; neverAssign wins', async () => {
    const { client, dir } = await connector('okta', 'okta-filters');
    await setGroupSettings(t, client, { onlyAssign: [{ pattern: '^app-' }, 'wiki'], neverAssign: ['app-admin'] });
    const ids = await createUsers(client, ['omar@example.com']);
    for (const name of ['app-crm', 'app-admin', 'wiki', 'Everyone']) await pushGroup(client, name, [ids['omar@example.com']]);
    expect(await dir.groupNames('omar@example.com')).toEqual(['app-crm', 'wiki']);
    expect(await dir.group('app-admin')).toBeUndefined();
  });

  it('default groups: for new users once, for all users on every change (removing one by hand does not stick)', async () => {
    const { client, dir } = await connector('okta', 'okta-defaults');
    await setGroupSettings(t, client, { defaultGroups: { newUsers: ['onboarding'], allUsers: ['everyone'] } });
    const ids = await createUsers(client, ['pat@example.com']);
    const groups = await dir.groupsOf('pat@example.com');
    expect(Object.keys(groups).sort()).toEqual(['everyone', 'onboarding']);
    expect(groups.onboarding).toEqual([expect.objectContaining({ kind: 'default', rule: 'newUsers', connectorId: client.connectorId })]);
    expect(groups.everyone).toEqual([expect.objectContaining({ kind: 'default', rule: 'allUsers' })]);

    // Someone removes both memberships behind Roster's back; the next change re-grants only the all-users one.
    const user = (await dir.user('pat@example.com'))!;
    await t.app.get(DataSource).query(`DELETE FROM memberships WHERE user_id = $1`, [user.id]);
    await client.patch(`/Users/${ids['pat@example.com']}`, [{ op: 'replace', path: 'title', value: 'Analyst' }]).expect(200);
    expect(await dir.groupNames('pat@example.com')).toEqual(['everyone']);

    // Dropping the all-users rule revokes what it granted, for every stored user.
    await setGroupSettings(t, client, { defaultGroups: { newUsers: ['onboarding'], allUsers: [] } });
    expect(await dir.groupNames('pat@example.com')).toEqual([]);
  });

  it('never-remove groups keep their memberships when the IdP withdraws them', async () => {
    const { client, dir } = await connector('okta', 'okta-never-remove');
    await setGroupSettings(t, client, { neverRemove: [{ pattern: '^legal' }] });
    const ids = await createUsers(client, ['quinn@example.com']);
    const hold = await pushGroup(client, 'legal-hold', [ids['quinn@example.com']]);
    const eng = await pushGroup(client, 'eng', [ids['quinn@example.com']]);
    await removeMembers(client, hold, [ids['quinn@example.com']]);
    await removeMembers(client, eng, [ids['quinn@example.com']]);
    expect(await dir.groupNames('quinn@example.com')).toEqual(['legal-hold']);
    const why = await dir.why('quinn@example.com', 'legal-hold');
    expect(why.reasons[0]).toMatchObject({ lasting: true });
    expect(why.reasons[0].reason).toContain("is a never-remove group");
  });

  it('keepExistingMemberships keeps grants of unknown provenance; admins’ grants are never the connector’s to remove', async () => {
    const { client, dir } = await connector('okta', 'okta-keep');
    const ids = await createUsers(client, ['rita@example.com']);
    const user = (await dir.user('rita@example.com'))!;
    const db = t.app.get(DataSource);
    const legacy = (await t.http.post(`/api/v1/directories/${dir.directoryId}/groups`).set(t.admin).send({ displayName: 'legacy' }).expect(201)).body.id;
    const manual = (await t.http.post(`/api/v1/directories/${dir.directoryId}/groups`).set(t.admin).send({ displayName: 'hand-picked' }).expect(201)).body.id;
    // A grant recorded before provenance existed: this connector's, with no IdP group.
    await db.query(`INSERT INTO memberships (directory_id, group_id, user_id, source_kind, source_connector_id) VALUES ($1, $2, $3, 'connector', $4)`, [
      dir.directoryId,
      legacy,
      user.id,
      client.connectorId,
    ]);
    await t.http.put(`/api/v1/directories/${dir.directoryId}/groups/${manual}/members/${user.id}`).set(t.admin).expect(200);

    await setGroupSettings(t, client, { keepExistingMemberships: true });
    const group = await pushGroup(client, 'eng', [ids['rita@example.com']]);
    await removeMembers(client, group, [ids['rita@example.com']]);
    expect(await dir.groupNames('rita@example.com')).toEqual(['hand-picked', 'legacy']);

    await setGroupSettings(t, client, { keepExistingMemberships: false });
    expect(await dir.groupNames('rita@example.com')).toEqual(['hand-picked']);
    expect((await dir.why('rita@example.com', 'hand-picked')).reasons).toEqual([expect.objectContaining({ reason: 'added by an admin', lasting: true })]);
  });

  it('two connectors feeding one directory never undo each other', async () => {
    const directory = await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'shared-dir' }).expect(201);
    const make = async (idp: string, name: string) => {
      const res = await t.http.post('/api/v1/connectors').set(t.admin).send({ name, idp, directoryId: directory.body.id }).expect(201);
      return new ScimClient(t.http, res.body.id, res.body.token, res.body.scimBaseUrl);
    };
    const okta = await make('okta', 'shared-okta');
    const entra = await make('entra', 'shared-entra');
    const dir = new DirectoryView(t, directory.body.id);
    const fromOkta = (await okta.post('/Users', scimUser('sam@example.com')).expect(201)).body.id;
    const fromEntra = (await entra.post('/Users', scimUser('sam@example.com')).expect(201)).body.id;
    const oktaGroup = await pushGroup(okta, 'Engineering', [fromOkta]);
    const entraGroup = (await entra.post('/Groups', { schemas: [GROUP_SCHEMA], displayName: 'engineering', members: [{ value: fromEntra }] }).expect(201)).body.id;

    const grants = (await dir.groupsOf('sam@example.com')).Engineering;
    expect(grants.map((g) => g.connectorId).sort()).toEqual([okta.connectorId, entra.connectorId].sort());

    await removeMembers(okta, oktaGroup, [fromOkta]);
    expect(await dir.groupsOf('sam@example.com')).toEqual({ Engineering: [expect.objectContaining({ connectorId: entra.connectorId, idpGroup: 'engineering' })] });
    const why = await dir.why('sam@example.com', 'Engineering');
    expect(why.reasons).toHaveLength(1);
    expect(why.reasons[0].connectorName).toBe('shared-entra');

    await entra.patch(`/Groups/${entraGroup}`, [{ op: 'Remove', path: 'members', value: [{ value: fromEntra }] }]).expect(204);
    expect(await dir.groupNames('sam@example.com')).toEqual([]);
  });

  it('a settings change: the dry run says which memberships would change, applying it changes exactly those', async () => {
    const { client, dir } = await connector('okta', 'okta-change');
    const ids = await createUsers(client, ['uma@example.com', 'vic@example.com']);
    await pushGroup(client, 'Engineering', [ids['uma@example.com'], ids['vic@example.com']]);
    await pushGroup(client, 'Sales', [ids['vic@example.com']]);
    const candidate = { strategy: 'manual', manual: { mappings: [{ name: 'Sales', groups: ['crm-users'] }] } };

    const dry = (await t.http.post(`/api/v1/connectors/${client.connectorId}/group-settings/dry-run`).set(t.admin).send(candidate).expect(200)).body;
    expect(dry).toMatchObject({ users: 2, changedUsers: 2, grants: 1, revokes: 3, groupsToCreate: ['crm-users'], leavesScope: 0, returnsScope: 0 });
    const vic = dry.changes.find((c: { userName: string }) => c.userName === 'vic@example.com');
    expect(vic.grant).toEqual([{ group: 'crm-users', reason: "IdP group 'Sales' maps to 'crm-users' (manual mapping #1)" }]);
    expect(vic.revoke.map((r: { group: string }) => r.group).sort()).toEqual(['Engineering', 'Sales']);
    expect(await dir.groupNames('vic@example.com')).toEqual(['Engineering', 'Sales']);

    await setGroupSettings(t, client, candidate);
    expect(await dir.groupNames('vic@example.com')).toEqual(['crm-users']);
    expect(await dir.groupNames('uma@example.com')).toEqual([]);
    const settings = (await t.http.get(`/api/v1/connectors/${client.connectorId}/group-settings`).set(t.admin).expect(200)).body;
    expect(settings).toMatchObject({ origin: 'custom', settings: { strategy: 'manual', lifecycle: { onDeactivate: 'disable' } } });

    await t.http.delete(`/api/v1/connectors/${client.connectorId}/group-settings`).set(t.admin).expect(200);
    expect((await t.http.get(`/api/v1/connectors/${client.connectorId}/group-settings`).set(t.admin).expect(200)).body.origin).toBe('default');
  });

  it('refuses invalid settings with the path of each problem, and changes nothing', async () => {
    const { client } = await connector('okta', 'okta-invalid');
    const res = await t.http
      .put(`/api/v1/connectors/${client.connectorId}/group-settings`)
      .set(t.admin)
      .send({ strategy: 'sometimes', neverAssign: [{ pattern: '(?=x)' }], brake: { maxShare: 2 }, typo: true })
      .expect(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['strategy', 'neverAssign[0].pattern', 'brake.maxShare', 'typo']));
    expect((await t.http.get(`/api/v1/connectors/${client.connectorId}/group-settings`).set(t.admin).expect(200)).body.origin).toBe('default');
    await t.http.post(`/api/v1/connectors/${client.connectorId}/group-settings/dry-run`).set(t.admin).send({ strategy: 'x' }).expect(400);
  });
});
