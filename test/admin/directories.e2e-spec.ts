import { startTestApp, TestApp } from '../support/test-app';

describe('Directories (admin API)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const list = async () => (await t.http.get('/api/v1/directories').set(t.admin).expect(200)).body as { id: string; name: string; isDefault: boolean }[];

  it('has a default directory after first start', async () => {
    const directories = await list();
    expect(directories.filter((d) => d.isDefault)).toHaveLength(1);
  });

  it('creates, reads, renames and deletes a directory', async () => {
    const created = await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'Contractors', description: 'Not on payroll' }).expect(201);
    expect(created.body).toMatchObject({ name: 'Contractors', description: 'Not on payroll', isDefault: false });
    await t.http.get(`/api/v1/directories/${created.body.id}`).set(t.admin).expect(200);
    const renamed = await t.http.patch(`/api/v1/directories/${created.body.id}`).set(t.admin).send({ name: 'Partners' }).expect(200);
    expect(renamed.body.name).toBe('Partners');
    await t.http.delete(`/api/v1/directories/${created.body.id}`).set(t.admin).expect(204);
    await t.http.get(`/api/v1/directories/${created.body.id}`).set(t.admin).expect(404);
  });

  it('refuses duplicate names case-insensitively', async () => {
    await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'Staff' }).expect(201);
    await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'STAFF' }).expect(409);
  });

  it('validates input and names the fields', async () => {
    const res = await t.http.post('/api/v1/directories').set(t.admin).send({ name: 42 }).expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['name']);
  });

  it('refuses to delete a directory a connector targets', async () => {
    const dir = await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'In use' }).expect(201);
    const connector = await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Uses it', idp: 'okta', directoryId: dir.body.id }).expect(201);
    const res = await t.http.delete(`/api/v1/directories/${dir.body.id}`).set(t.admin).expect(409);
    expect(res.body.message).toContain('connector');
    await t.http.delete(`/api/v1/connectors/${connector.body.id}`).set(t.admin).expect(204);
    await t.http.delete(`/api/v1/directories/${dir.body.id}`).set(t.admin).expect(204);
  });

  it('moves the default, and refuses to delete the default or the last directory', async () => {
    const other = await t.http.post('/api/v1/directories').set(t.admin).send({ name: 'Next default' }).expect(201);
    const oldDefault = (await list()).find((d) => d.isDefault)!;
    await t.http.delete(`/api/v1/directories/${oldDefault.id}`).set(t.admin).expect(409);

    await t.http.patch(`/api/v1/directories/${other.body.id}`).set(t.admin).send({ isDefault: true }).expect(200);
    const after = await list();
    expect(after.filter((d) => d.isDefault).map((d) => d.id)).toEqual([other.body.id]);
    await t.http.patch(`/api/v1/directories/${other.body.id}`).set(t.admin).send({ isDefault: false }).expect(400);

    // New connectors without a directory land in the new default.
    const connector = await t.http.post('/api/v1/connectors').set(t.admin).send({ name: 'Defaulted', idp: 'okta' }).expect(201);
    expect(connector.body.directoryId).toBe(other.body.id);
    await t.http.delete(`/api/v1/connectors/${connector.body.id}`).set(t.admin).expect(204);

    for (const d of after.filter((d) => !d.isDefault)) {
      await t.http.delete(`/api/v1/directories/${d.id}`).set(t.admin).expect(204);
    }
    // Only the default is left; it is both the default and the last one.
    const res = await t.http.delete(`/api/v1/directories/${other.body.id}`).set(t.admin).expect(409);
    expect(res.body.message).toContain('last directory');
  });
});
