// Changing a connector's mapping: the dry run reports what would change without writing, and the
// change re-projects every stored user in the background with readable progress.
import { startTestApp, TestApp } from '../support/test-app';
import { createScimConnector, ScimClient, USER_SCHEMA } from '../support/scim';

describe('Re-projection after a mapping change', () => {
  let t: TestApp;
  let okta: ScimClient;
  let directoryId: string;
  beforeAll(async () => {
    t = await startTestApp();
    okta = await createScimConnector(t, 'okta', 'Okta');
    directoryId = (await t.http.get(`/api/v1/connectors/${okta.connectorId}`).set(t.admin).expect(200)).body.directoryId;
    for (const [userName, userType] of [
      ['Ada@Example.com', 'Employee'],
      ['Bob@Example.com', 'Employee'],
      ['Cyd@Example.com', 'Contractor'],
    ]) {
      await okta.post('/Users', { schemas: [USER_SCHEMA], userName, userType, name: { givenName: userName.slice(0, 3), familyName: 'Test' } }).expect(201);
    }
  });
  afterAll(() => t.close());

  const mapping = {
    kind: 'scim',
    rules: [
      { target: 'username', source: { scim: 'userName' }, transform: ['lowercase'] },
      { target: 'firstName', source: { scim: 'name.givenName' } },
      { target: 'custom:team', source: { constant: 'Engines' } },
      { drop: { when: { source: { scim: 'userType' }, equals: 'Contractor' } } },
    ],
  };
  const users = async () =>
    (await t.http.get(`/api/v1/directories/${directoryId}/users`).set(t.admin).expect(200)).body.users as {
      username: string;
      active: boolean;
      custom: Record<string, string>;
    }[];

  it('reports what a new mapping would change, user by user, and writes nothing', async () => {
    const before = await users();
    const res = await t.http.post(`/api/v1/connectors/${okta.connectorId}/mapping/dry-run`).set(t.admin).send(mapping).expect(200);
    expect(res.body).toMatchObject({ total: 3, unchanged: 0, counts: { create: 0, update: 2, disable: 1, skip: 0 } });
    const ada = res.body.changes.find((c: { userName: string }) => c.userName === 'Ada@Example.com');
    expect(ada).toMatchObject({ action: 'update', fields: { username: { from: 'Ada@Example.com', to: 'ada@example.com' }, 'custom:team': { from: null, to: 'Engines' } } });
    expect(res.body.changes.find((c: { userName: string }) => c.userName === 'Cyd@Example.com')).toMatchObject({ action: 'disable' });
    expect(await users()).toEqual(before);
    await t.http.post(`/api/v1/connectors/${okta.connectorId}/mapping/dry-run`).set(t.admin).send({ kind: 'scim', rules: [] }).expect(400);
  });

  it('re-projects every stored user in the background after the change, with progress', async () => {
    const saved = await t.http.put(`/api/v1/connectors/${okta.connectorId}/mapping`).set(t.admin).send(mapping).expect(200);
    const jobId = saved.body.reprojection.id;
    expect(saved.body.reprojection).toMatchObject({ total: 3, connectorId: okta.connectorId });
    let job = saved.body.reprojection;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      job = (await t.http.get(`/api/v1/connectors/${okta.connectorId}/mapping/jobs/${jobId}`).set(t.admin).expect(200)).body;
    }
    expect(job).toMatchObject({ status: 'done', processed: 3, total: 3, error: null });
    const after = await users();
    expect(after.map((u) => [u.username, u.active, u.custom.team])).toEqual([
      ['ada@example.com', true, 'Engines'],
      ['bob@example.com', true, 'Engines'],
      ['Cyd@Example.com', false, undefined],
    ]);
    // Nothing left to change: a dry run of the same mapping now reports no change.
    const again = await t.http.post(`/api/v1/connectors/${okta.connectorId}/mapping/dry-run`).set(t.admin).send(mapping).expect(200);
    expect(again.body).toMatchObject({ unchanged: 3, changes: [] });
    const jobs = await t.http.get(`/api/v1/connectors/${okta.connectorId}/mapping/jobs`).set(t.admin).expect(200);
    expect(jobs.body[0].id).toBe(jobId);
    await t.http.get(`/api/v1/connectors/${okta.connectorId}/mapping/jobs/not-a-job`).set(t.admin).expect(404);
  });
});
