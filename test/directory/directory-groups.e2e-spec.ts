// Directory groups and memberships through the admin API: browsing with the source of every grant, and
// admin grants that leave the other sources' grants alone. Users and the connector/default-rule/LDAP
// grants are written with SQL, as the projection and the group sync would write them.
import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../support/test-app';

const GONE_CONNECTOR = '00000000-0000-4000-8000-00000000dead';

interface Grant {
  kind: string;
  connectorId: string | null;
  connectorName: string | null;
  idpGroup?: string;
  rule?: string;
  ldapGroup?: string;
}

describe('Directory groups and memberships (admin API)', () => {
  let t: TestApp;
  let db: DataSource;
  let dir: string;
  let otherDir: string;
  let okta: string;
  const users: Record<string, string> = {};
  const groups: Record<string, string> = {};

  const api = (path: string) => `/api/v1/directories/${dir}${path}`;
  const addUser = async (directoryId: string, userName: string, email: string | null = userName) =>
    (await db.query(`INSERT INTO users (directory_id, user_name, email, display_name) VALUES ($1, $2, $3, $2) RETURNING id`, [directoryId, userName, email]))[0].id as string;
  const addGrant = (group: string, user: string, kind: string, connectorId: string | null, ref: string) =>
    db.query(`INSERT INTO memberships (directory_id, group_id, user_id, source_kind, source_connector_id, source_ref) VALUES ($1, $2, $3, $4, $5, $6)`, [
      dir,
      group,
      user,
      kind,
      connectorId,
      ref,
    ]);
  const createGroup = async (displayName: string, extra: object = {}) =>
    (await t.http.post(api('/groups')).set(t.admin).send({ displayName, ...extra }).expect(201)).body.id as string;
  const auditActions = async (directoryId: string) =>
    (await t.http.get('/api/v1/audit-events').query({ directoryId }).set(t.admin).expect(200)).body as { action: string; targetId: string; details: Record<string, unknown> }[];

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    dir = (await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'Staff' }).expect(201)).body.id;
    otherDir = (await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'Partners' }).expect(201)).body.id;
    okta = (await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Okta', idp: 'okta', directoryId: dir }).expect(201)).body.id;
    for (const name of ['ada', 'grace', 'linus', 'margaret']) users[name] = await addUser(dir, `${name}@example.com`);
    users.outsider = await addUser(otherDir, 'outsider@example.com');

    groups.engineering = await createGroup('Engineering', { description: 'Builds things', externalId: 'eng-1' });
    groups.everyone = await createGroup('Everyone');
    groups.finance = await createGroup('Finance');
    groups.pct = await createGroup('100% remote');
    // Ada is in Engineering through two IdP groups and the allUsers rule; Grace through LDAP and a
    // connector since removed; Linus through the newUsers rule.
    await addGrant(groups.engineering, users.ada, 'connector', okta, 'eng-okta');
    await addGrant(groups.engineering, users.ada, 'connector', okta, 'eng-contractors');
    await addGrant(groups.engineering, users.ada, 'default_rule', okta, 'allUsers');
    await addGrant(groups.engineering, users.grace, 'ldap', okta, 'cn=engineering,ou=groups');
    await addGrant(groups.engineering, users.grace, 'connector', GONE_CONNECTOR, 'Engineers');
    await addGrant(groups.engineering, users.linus, 'default_rule', okta, 'newUsers');
    await addGrant(groups.everyone, users.ada, 'default_rule', okta, 'allUsers');
  });
  afterAll(() => t.close());

  it('creates groups, audited, and refuses a name clash case-insensitively', async () => {
    const engineering = await t.http.get(api(`/groups/${groups.engineering}`)).set(t.admin).expect(200);
    expect(engineering.body).toMatchObject({ id: groups.engineering, displayName: 'Engineering', description: 'Builds things', externalId: 'eng-1' });
    const created = await t.http.post(api('/groups')).set(t.admin).send({ displayName: '  Design  ' }).expect(201);
    expect(created.body).toMatchObject({ displayName: 'Design', description: null, externalId: null, memberCount: 0 });
    const clash = await t.http.post(api('/groups')).set(t.admin).send({ displayName: 'ENGINEERING' }).expect(409);
    expect(clash.body.message).toContain('ENGINEERING');
    // Names are unique per directory only.
    await t.http.post(`/api/v1/directories/${otherDir}/groups`).set(t.admin).send({ displayName: 'Engineering' }).expect(201);
    const events = await auditActions(dir);
    expect(events.find((e) => e.targetId === created.body.id)).toMatchObject({ action: 'directory.group.created', details: { displayName: 'Design' } });
    await t.http.delete(api(`/groups/${created.body.id}`)).set(t.admin).expect(204);
  });

  it('refuses invalid input with the fields named', async () => {
    const fieldsOf = (res: { body: { fields: { field: string }[] } }) => res.body.fields.map((f) => f.field);
    expect(fieldsOf(await t.http.post(api('/groups')).set(t.admin).send({}).expect(400))).toEqual(['displayName']);
    expect(fieldsOf(await t.http.post(api('/groups')).set(t.admin).send({ displayName: '   ', description: 7, extra: true }).expect(400))).toEqual(
      expect.arrayContaining(['displayName', 'description', 'extra']),
    );
    expect(fieldsOf(await t.http.get(api('/groups')).query({ limit: 201 }).set(t.admin).expect(400))).toEqual(['limit']);
    expect(fieldsOf(await t.http.get(api(`/groups/${groups.engineering}/members`)).query({ offset: -1 }).set(t.admin).expect(400))).toEqual(['offset']);
    await t.http.get('/api/v1/directories/not-a-uuid/groups').set(t.admin).expect(400);
    await t.http.get(api('/groups')).expect(401);
  });

  it('lists groups by name with distinct member counts, filters and pages', async () => {
    const all = await t.http.get(api('/groups')).set(t.admin).expect(200);
    expect(all.body.total).toBe(4);
    expect(all.body.groups.map((g: { displayName: string; memberCount: number }) => [g.displayName, g.memberCount])).toEqual([
      ['100% remote', 0],
      ['Engineering', 3],
      ['Everyone', 1],
      ['Finance', 0],
    ]);
    const filtered = await t.http.get(api('/groups')).query({ q: 'ER' }).set(t.admin).expect(200);
    expect(filtered.body.groups.map((g: { displayName: string }) => g.displayName)).toEqual(['Engineering', 'Everyone']);
    // LIKE wildcards in q are literal.
    expect((await t.http.get(api('/groups')).query({ q: '%' }).set(t.admin).expect(200)).body.total).toBe(1);
    const second = await t.http.get(api('/groups')).query({ limit: 2, offset: 1 }).set(t.admin).expect(200);
    expect(second.body).toMatchObject({ total: 4, groups: [{ displayName: 'Engineering' }, { displayName: 'Everyone' }] });
  });

  it('counts the grants each source holds in a group', async () => {
    const res = await t.http.get(api(`/groups/${groups.engineering}`)).set(t.admin).expect(200);
    expect(res.body.memberCount).toBe(3);
    expect(res.body.grantedBy).toEqual(
      expect.arrayContaining([
        { kind: 'connector', connectorId: okta, connectorName: 'Okta', grants: 2 },
        { kind: 'connector', connectorId: GONE_CONNECTOR, connectorName: null, grants: 1 },
        { kind: 'default', connectorId: okta, connectorName: 'Okta', grants: 2 },
        { kind: 'ldap', connectorId: okta, connectorName: 'Okta', grants: 1 },
      ]),
    );
    expect(res.body.grantedBy).toHaveLength(4);
  });

  it('lists a group’s members once each, with every grant and its source', async () => {
    const res = await t.http.get(api(`/groups/${groups.engineering}/members`)).set(t.admin).expect(200);
    expect(res.body.total).toBe(3);
    const [ada, grace, linus] = res.body.members;
    expect(ada).toMatchObject({ userId: users.ada, username: 'ada@example.com', email: 'ada@example.com', displayName: 'ada@example.com', active: true });
    const shape = (g: Grant) => ({ kind: g.kind, connectorName: g.connectorName, ref: g.idpGroup ?? g.rule ?? g.ldapGroup });
    expect(ada.grants.map(shape)).toEqual([
      { kind: 'connector', connectorName: 'Okta', ref: 'eng-okta' },
      { kind: 'connector', connectorName: 'Okta', ref: 'eng-contractors' },
      { kind: 'default', connectorName: 'Okta', ref: 'allUsers' },
    ]);
    expect(ada.grants[0]).toEqual({ kind: 'connector', connectorId: okta, connectorName: 'Okta', idpGroup: 'eng-okta', grantedAt: expect.any(String) });
    expect(grace.grants).toEqual([
      expect.objectContaining({ kind: 'ldap', ldapGroup: 'cn=engineering,ou=groups' }),
      expect.objectContaining({ kind: 'connector', connectorId: GONE_CONNECTOR, connectorName: null, idpGroup: 'Engineers' }),
    ]);
    expect(linus.grants).toEqual([expect.objectContaining({ kind: 'default', rule: 'newUsers' })]);

    const page = await t.http.get(api(`/groups/${groups.engineering}/members`)).query({ limit: 1, offset: 1 }).set(t.admin).expect(200);
    expect(page.body).toMatchObject({ total: 3, members: [{ username: 'grace@example.com' }] });
    const found = await t.http.get(api(`/groups/${groups.engineering}/members`)).query({ q: 'LINUS@' }).set(t.admin).expect(200);
    expect(found.body.members.map((m: { username: string }) => m.username)).toEqual(['linus@example.com']);
    expect((await t.http.get(api(`/groups/${groups.finance}/members`)).set(t.admin).expect(200)).body).toEqual({ total: 0, members: [] });
  });

  it('lists the groups a user is in, with the user’s grants in each', async () => {
    const res = await t.http.get(api(`/users/${users.ada}/groups`)).set(t.admin).expect(200);
    expect(res.body.total).toBe(2);
    expect(res.body.groups.map((g: { displayName: string; grants: Grant[] }) => [g.displayName, g.grants.map((x) => x.kind)])).toEqual([
      ['Engineering', ['connector', 'connector', 'default']],
      ['Everyone', ['default']],
    ]);
    const filtered = await t.http.get(api(`/users/${users.ada}/groups`)).query({ q: 'every', limit: 1 }).set(t.admin).expect(200);
    expect(filtered.body).toMatchObject({ total: 1, groups: [{ id: groups.everyone, grants: [{ kind: 'default', rule: 'allUsers' }] }] });
    expect((await t.http.get(api(`/users/${users.margaret}/groups`)).set(t.admin).expect(200)).body).toEqual({ total: 0, groups: [] });
  });

  it('adds an admin grant idempotently, and removing it leaves the other sources’ grants', async () => {
    const member = (group: string, user: string) => t.http.put(api(`/groups/${group}/members/${user}`)).set(t.admin);
    const first = await member(groups.engineering, users.ada).expect(200);
    expect(first.body).toMatchObject({ groupId: groups.engineering, userId: users.ada, member: true });
    expect(first.body.grants.map((g: Grant) => g.kind)).toEqual(['connector', 'connector', 'default', 'admin']);
    expect(first.body.grants[3]).toEqual({ kind: 'admin', connectorId: null, connectorName: null, grantedAt: expect.any(String) });
    const again = await member(groups.engineering, users.ada).expect(200);
    expect(again.body).toEqual(first.body);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM memberships WHERE group_id = $1 AND user_id = $2 AND source_kind = 'admin'`, [
      groups.engineering,
      users.ada,
    ]);
    expect(count).toBe(1);
    const detail = await t.http.get(api(`/groups/${groups.engineering}`)).set(t.admin).expect(200);
    expect(detail.body).toMatchObject({ memberCount: 3 });
    expect(detail.body.grantedBy).toContainEqual({ kind: 'admin', connectorId: null, connectorName: null, grants: 1 });

    const revoked = await t.http.delete(api(`/groups/${groups.engineering}/members/${users.ada}`)).set(t.admin).expect(200);
    expect(revoked.body).toMatchObject({ member: true });
    expect(revoked.body.grants.map((g: Grant) => g.kind)).toEqual(['connector', 'connector', 'default']);
    await t.http.delete(api(`/groups/${groups.engineering}/members/${users.ada}`)).set(t.admin).expect(404);
    // Linus has no admin grant: nothing to remove, and his default-rule grant stays.
    await t.http.delete(api(`/groups/${groups.engineering}/members/${users.linus}`)).set(t.admin).expect(404);
    expect((await t.http.get(api(`/groups/${groups.engineering}/members`)).set(t.admin).expect(200)).body.total).toBe(3);

    // Margaret's only grant is the admin's: removing it ends her membership.
    expect((await member(groups.finance, users.margaret).expect(200)).body.member).toBe(true);
    expect((await t.http.get(api(`/groups/${groups.finance}/members`)).set(t.admin).expect(200)).body.members).toEqual([
      expect.objectContaining({ userId: users.margaret, grants: [expect.objectContaining({ kind: 'admin' })] }),
    ]);
    const gone = await t.http.delete(api(`/groups/${groups.finance}/members/${users.margaret}`)).set(t.admin).expect(200);
    expect(gone.body).toEqual({ groupId: groups.finance, userId: users.margaret, member: false, grants: [] });
    expect((await t.http.get(api(`/groups/${groups.finance}/members`)).set(t.admin).expect(200)).body.total).toBe(0);

    const events = (await auditActions(dir)).filter((e) => e.action.startsWith('directory.membership.'));
    expect(events.map((e) => [e.action, e.details.username])).toEqual([
      ['directory.membership.revoked', 'margaret@example.com'],
      ['directory.membership.granted', 'margaret@example.com'],
      ['directory.membership.revoked', 'ada@example.com'],
      ['directory.membership.granted', 'ada@example.com'],
    ]);
    expect(events[2].details).toMatchObject({ displayName: 'Engineering', userId: users.ada, stillMember: true });
  });

  it('answers 404 for groups and users of another directory, and for unknown ids', async () => {
    const foreignGroup = (await t.http.get(`/api/v1/directories/${otherDir}/groups`).set(t.admin).expect(200)).body.groups[0].id;
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [
      `/groups/${foreignGroup}`,
      `/groups/${foreignGroup}/members`,
      `/groups/${unknown}`,
      '/groups/not-a-uuid',
      `/users/${users.outsider}/groups`,
      `/users/${unknown}/groups`,
    ]) {
      await t.http.get(api(path)).set(t.admin).expect(404);
    }
    await t.http.put(api(`/groups/${groups.engineering}/members/${users.outsider}`)).set(t.admin).expect(404);
    await t.http.put(api(`/groups/${foreignGroup}/members/${users.ada}`)).set(t.admin).expect(404);
    await t.http.put(api(`/groups/${groups.engineering}/members/not-a-uuid`)).set(t.admin).expect(404);
    await t.http.delete(api(`/groups/${foreignGroup}`)).set(t.admin).expect(404);
    await t.http.get(`/api/v1/directories/${unknown}/groups`).set(t.admin).expect(404);
    await t.http.post(`/api/v1/directories/${unknown}/groups`).set(t.admin).send({ displayName: 'Nowhere' }).expect(404);
    // Nothing of the other directory changed.
    expect((await t.http.get(`/api/v1/directories/${otherDir}/groups/${foreignGroup}`).set(t.admin).expect(200)).body.memberCount).toBe(0);
  });

  it('deletes a group with every membership in it, audited', async () => {
    await t.http.delete(api(`/groups/${groups.engineering}`)).set(t.admin).expect(204);
    await t.http.get(api(`/groups/${groups.engineering}`)).set(t.admin).expect(404);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM memberships WHERE group_id = $1`, [groups.engineering]);
    expect(count).toBe(0);
    expect((await t.http.get(api(`/users/${users.ada}/groups`)).set(t.admin).expect(200)).body.groups.map((g: { displayName: string }) => g.displayName)).toEqual([
      'Everyone',
    ]);
    const event = (await auditActions(dir)).find((e) => e.action === 'directory.group.deleted' && e.targetId === groups.engineering);
    expect(event?.details).toEqual({ displayName: 'Engineering', members: 3, grants: 6 });
  });

  it('documents every endpoint in the OpenAPI document', async () => {
    const doc = await t.http.get('/docs-json').expect(200);
    const paths = doc.body.paths;
    expect(Object.keys(paths['/api/v1/directories/{id}/groups'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(paths['/api/v1/directories/{id}/groups/{groupId}'])).toEqual(expect.arrayContaining(['get', 'delete']));
    expect(Object.keys(paths['/api/v1/directories/{id}/groups/{groupId}/members/{userId}'])).toEqual(expect.arrayContaining(['put', 'delete']));
    expect(paths['/api/v1/directories/{id}/users/{userId}/groups'].get.tags).toEqual(['directories']);
    expect(Object.keys(paths['/api/v1/directories/{id}/groups'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '404', '409']));
  });
});
