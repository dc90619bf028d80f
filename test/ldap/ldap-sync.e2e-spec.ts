// The LDAP sync of users, against a real slapd: entries become directory users through the
// connector's mapping, changes follow, removals go through the lifecycle like a SCIM DELETE.
import { Attribute, Change } from 'ldapts';
import { ADMIN_DN, ADMIN_PASSWORD, BASE_DN, Slapd, slapdAvailable, startSlapd } from '../support/slapd';
import { DataSource } from 'typeorm';
import { LdapScheduler } from '../../src/ldap/ldap-scheduler';
import { startTestApp, TestApp } from '../support/test-app';

const describeLdap = slapdAvailable() ? describe : describe.skip;

interface DirectoryUser {
  id: string;
  username: string;
  email: string | null;
  title: string | null;
  active: boolean;
  sources: { connectorId: string; sourceRef: string }[];
}

describeLdap('LDAP sync of users (slapd)', () => {
  let t: TestApp;
  let slapd: Slapd;
  let connectorId: string;
  let directoryId: string;
  const sync = () => t.http.post(`/api/v1/connectors/${connectorId}/ldap/sync`).set(t.admin);
  const users = async (): Promise<Record<string, DirectoryUser>> => {
    const page = await t.http.get(`/api/v1/directories/${directoryId}/users`).query({ limit: 200 }).set(t.admin).expect(200);
    return Object.fromEntries(page.body.users.map((u: DirectoryUser) => [u.username, u]));
  };
  const settings = (extra: object = {}) => ({ url: slapd.url, bindDn: ADMIN_DN, bindPassword: ADMIN_PASSWORD, baseDn: `ou=people,${BASE_DN}`, ...extra });

  beforeAll(async () => {
    [t, slapd] = await Promise.all([startTestApp(), startSlapd()]);
    directoryId = (await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'From LDAP' }).expect(201)).body.id;
    connectorId = (await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'OpenLDAP', idp: 'generic', protocol: 'ldap', directoryId }).expect(201)).body.id;
    await t.http.put(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).send(settings()).expect(200);
    await slapd.addPerson('ada', { givenName: 'Ada', sn: 'Lovelace', mail: 'ada@example.com', title: 'Analyst', userPassword: '{SSHA}not-for-roster' });
    await slapd.addPerson('grace', { givenName: 'Grace', sn: 'Hopper', mail: 'grace@example.com' });
    await slapd.addPerson('nomail', { sn: 'Nomail' });
  });
  afterAll(async () => {
    await t?.close();
    await slapd?.stop();
  });

  it('creates a directory user per entry through the connector’s mapping, linked by the entry’s id', async () => {
    const res = await sync().expect(200);
    expect(res.body).toMatchObject({ entries: 3, created: 3, updated: 0, unchanged: 0, removed: 0, skippedCount: 0 });
    const found = await users();
    expect(Object.keys(found).sort()).toEqual(['ada', 'grace', 'nomail']);
    expect(found.ada).toMatchObject({ email: 'ada@example.com', title: 'Analyst', active: true, sources: [expect.objectContaining({ connectorId })] });
    const probe = await t.http.post(`/api/v1/connectors/${connectorId}/ldap/test`).set(t.admin).send({ username: 'ada' }).expect(200);
    expect(found.ada.sources[0].sourceRef).toBe(probe.body.id);
    // Nothing of the entry's password reached the database.
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM scim_users WHERE data::text LIKE '%not-for-roster%' OR data::text ILIKE '%userpassword%'`);
    expect(n).toBe(0);
  });

  it('changes nothing when nothing changed', async () => {
    expect((await sync().expect(200)).body).toMatchObject({ entries: 3, created: 0, updated: 0, unchanged: 3, removed: 0 });
  });

  it('follows a changed entry, and a renamed one keeps its directory user', async () => {
    await slapd.modify(`uid=ada,ou=people,${BASE_DN}`, 'title', ['Chief Analyst']);
    await slapd.admin((c) => c.modifyDN(`uid=grace,ou=people,${BASE_DN}`, `uid=ghopper,ou=people,${BASE_DN}`));
    const before = await users();
    expect((await sync().expect(200)).body).toMatchObject({ updated: 2, unchanged: 1, created: 0, removed: 0 });
    const after = await users();
    expect(after.ada.title).toBe('Chief Analyst');
    expect(after.ghopper.id).toBe(before.grace.id);
    expect(after.grace).toBeUndefined();
  });

  it('re-projects the LDAP records when the mapping changes', async () => {
    const mapping = (await t.http.get(`/api/v1/connectors/${connectorId}/mapping`).set(t.admin).expect(200)).body.mapping;
    mapping.rules.push({ target: 'custom:source', source: { template: 'ldap:{uid}' } });
    const saved = await t.http.put(`/api/v1/connectors/${connectorId}/mapping`).set(t.admin).send(mapping).expect(200);
    let job = saved.body.reprojection;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      job = (await t.http.get(`/api/v1/connectors/${connectorId}/mapping/jobs/${job.id}`).set(t.admin).expect(200)).body;
    }
    expect(job).toMatchObject({ status: 'done', total: 3, error: null });
    const page = await t.http.get(`/api/v1/directories/${directoryId}/users`).query({ q: 'ada' }).set(t.admin).expect(200);
    expect(page.body.users[0].custom).toEqual({ source: 'ldap:ada' });
  });

  it('removes a user whose entry is gone as a SCIM DELETE would: disabled by default', async () => {
    await slapd.admin((c) => c.del(`uid=nomail,ou=people,${BASE_DN}`));
    expect((await sync().expect(200)).body).toMatchObject({ entries: 2, removed: 1 });
    const after = await users();
    expect(after.nomail).toMatchObject({ active: false, sources: [] });
    const events = (await t.http.get('/api/v1/audit-events').query({ connectorId, limit: 100 }).set(t.admin).expect(200)).body as { action: string }[];
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['ldap.user.created', 'ldap.user.replaced', 'ldap.user.deleted', 'directory.user.disabled', 'connector.ldap_synced']));
  });

  it('skips an entry whose username another entry has, and says why', async () => {
    // An entry whose first uid is ADA: the same username as ada's, case aside.
    await slapd.admin((c) => c.add(`uid=ada-twin,ou=people,${BASE_DN}`, { objectClass: 'inetOrgPerson', uid: ['ADA', 'ada-twin'], cn: 'Twin', sn: 'Twin' }));
    const before = await users();
    const res = await sync().expect(200);
    expect(res.body).toMatchObject({ entries: 3, created: 0, unchanged: 2, skippedCount: 1 });
    expect(res.body.skipped).toEqual([{ dn: `uid=ada-twin,ou=people,${BASE_DN}`, reason: 'another entry already has uid=ADA' }]);
    expect(await users()).toEqual(before);
    // A stored user whose entry now clashes keeps its last state: skipped, not removed.
    await slapd.admin((c) => c.del(`uid=ada-twin,ou=people,${BASE_DN}`));
    await slapd.modify(`uid=ghopper,ou=people,${BASE_DN}`, 'uid', ['ADA', 'ghopper']);
    const clash = await sync().expect(200);
    expect(clash.body).toMatchObject({ removed: 0, skippedCount: 1, skipped: [{ dn: `uid=ghopper,ou=people,${BASE_DN}`, reason: 'another entry already has uid=ADA' }] });
    expect((await users()).ghopper).toMatchObject({ active: true });
    await slapd.modify(`uid=ghopper,ou=people,${BASE_DN}`, 'uid', ['ghopper']);
    expect((await sync().expect(200)).body).toMatchObject({ removed: 0, skippedCount: 0 });
  });

  describe('groups', () => {
    const groupsDn = `ou=groups,${BASE_DN}`;
    const person = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`;
    const groupsOf = async (username: string): Promise<string[]> => {
      const user = (await users())[username];
      const res = await t.http.get(`/api/v1/directories/${directoryId}/users/${user.id}/groups`).set(t.admin).expect(200);
      return res.body.groups.map((g: { displayName: string }) => g.displayName).sort();
    };

    beforeAll(async () => {
      await t.http.put(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).send(settings({ groupBaseDn: groupsDn })).expect(200);
      await slapd.admin(async (c) => {
        await c.add(groupsDn, { objectClass: 'organizationalUnit', ou: 'groups' });
        await c.add(`cn=Engineering,${groupsDn}`, { objectClass: 'groupOfNames', cn: 'Engineering', member: [person('ada')] });
        // Staff holds Engineering (nested) and Grace directly; Loop points back at Staff.
        await c.add(`cn=Staff,${groupsDn}`, { objectClass: 'groupOfNames', cn: 'Staff', member: [`CN=Engineering, ${groupsDn}`, person('ghopper')] });
        await c.add(`cn=Loop,${groupsDn}`, { objectClass: 'groupOfNames', cn: 'Loop', member: [`cn=Staff,${groupsDn}`] });
        await c.modify(`cn=Staff,${groupsDn}`, new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [`cn=Loop,${groupsDn}`] }) }));
      });
    });

    it('pulls groups with nested members flattened into directory groups (cycles broken)', async () => {
      const res = await sync().expect(200);
      expect(res.body.groups).toEqual({ entries: 3, created: 3, updated: 0, unchanged: 0, removed: 0 });
      expect(await groupsOf('ada')).toEqual(['Engineering', 'Loop', 'Staff']);
      expect(await groupsOf('ghopper')).toEqual(['Loop', 'Staff']);
      expect((await sync().expect(200)).body.groups).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    });

    it('follows membership changes and removes a group whose entry is gone', async () => {
      await slapd.modify(`cn=Engineering,${groupsDn}`, 'member', [person('ghopper')]);
      // Ada leaves Engineering, and with it Staff and Loop, which hold Engineering.
      expect((await sync().expect(200)).body.groups).toMatchObject({ updated: 3, unchanged: 0 });
      expect(await groupsOf('ada')).toEqual([]);
      expect(await groupsOf('ghopper')).toEqual(['Engineering', 'Loop', 'Staff']);
      await slapd.admin((c) => c.del(`cn=Loop,${groupsDn}`));
      await slapd.modify(`cn=Staff,${groupsDn}`, 'member', [`cn=Engineering,${groupsDn}`]);
      expect((await sync().expect(200)).body.groups).toMatchObject({ entries: 2, removed: 1, unchanged: 2 });
      expect(await groupsOf('ghopper')).toEqual(['Engineering', 'Staff']);
    });
  });

  it('syncs on a schedule: a connector never synced is due, then not until its interval has passed', async () => {
    const scheduler = t.app.get(LdapScheduler);
    const other = (await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Scheduled LDAP', idp: 'generic', protocol: 'ldap', directoryId }).expect(201)).body.id;
    await t.http.put(`/api/v1/connectors/${other}/ldap`).set(t.admin).send(settings({ syncIntervalMinutes: 60, syncGroups: false })).expect(200);
    // The first connector was synced by hand moments ago: not due, whatever its interval.
    await t.http.put(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).send(settings({ syncIntervalMinutes: 60, groupBaseDn: `ou=groups,${BASE_DN}` })).expect(200);
    expect(await scheduler.tick()).toEqual([other]);
    expect(await scheduler.tick()).toEqual([]);
    const events = (await t.http.get('/api/v1/audit-events').query({ connectorId: other }).set(t.admin).expect(200)).body as { action: string; actor: string }[];
    expect(events.filter((e) => e.action.startsWith('connector.ldap_sync')).map((e) => [e.action, e.actor])).toEqual([
      ['connector.ldap_synced', 'scheduler'],
      ['connector.ldap_sync_scheduled', 'scheduler'],
    ]);
    // A disabled connector is not synced on schedule; one that cannot reach its server records why.
    await t.http.put(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).send(settings({ syncIntervalMinutes: 0 })).expect(200);
    const broken = (await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Broken LDAP', idp: 'generic', protocol: 'ldap', directoryId, enabled: false }).expect(201)).body.id;
    await t.http.put(`/api/v1/connectors/${broken}/ldap`).set(t.admin).send(settings({ url: 'ldap://127.0.0.1:1', timeoutSeconds: 1, syncIntervalMinutes: 5 })).expect(200);
    const actions = async () => ((await t.http.get('/api/v1/audit-events').query({ connectorId: broken }).set(t.admin).expect(200)).body as { action: string }[]).map((e) => e.action);
    expect(await scheduler.tick()).toEqual([]);
    expect(await actions()).not.toContain('connector.ldap_sync_scheduled');
    await t.http.post(`/api/v1/connectors/${broken}/enable`).set(t.admin).expect(200);
    expect(await scheduler.tick()).toEqual([]);
    const failed = (await t.http.get('/api/v1/audit-events').query({ connectorId: broken }).set(t.admin).expect(200)).body as { action: string; details: { message?: string } }[];
    expect(failed[0]).toMatchObject({ action: 'connector.ldap_sync_failed', details: { message: expect.stringContaining('Could not talk') } });
    await t.http.put(`/api/v1/connectors/${broken}/ldap`).set(t.admin).send(settings({ syncIntervalMinutes: 0 })).expect(200);
  });

  it('changes nothing when the server cannot be reached (502)', async () => {
    const before = await users();
    await t.http.put(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).send(settings({ url: 'ldap://127.0.0.1:1', timeoutSeconds: 2 })).expect(200);
    expect((await sync().expect(502)).body.message).toContain('Could not talk');
    expect(await users()).toEqual(before);
    await t.http.put(`/api/v1/connectors/${connectorId}/ldap`).set(t.admin).send(settings()).expect(200);
  });
});
