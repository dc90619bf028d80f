// Helpers for the group-sync suites: an admin's view of the directory (users, their groups and the
// grants behind each), group settings applied and waited for, and IdP-shaped SCIM bodies.
import { GROUP_SCHEMA, ScimClient, USER_SCHEMA } from '../support/scim';
import { TestApp } from '../support/test-app';

export const scimUser = (userName: string, extra: object = {}) => ({
  schemas: [USER_SCHEMA],
  userName,
  name: { givenName: 'Test', familyName: userName.split('@')[0] },
  emails: [{ primary: true, value: userName, type: 'work' }],
  active: true,
  ...extra,
});

export interface Grant {
  kind: string;
  connectorId: string | null;
  idpGroup?: string;
  rule?: string;
}

export class DirectoryView {
  constructor(
    private readonly t: TestApp,
    readonly directoryId: string,
  ) {}

  static async of(t: TestApp, connector: ScimClient): Promise<DirectoryView> {
    const res = await t.http.get(`/api/v1/connectors/${connector.connectorId}`).set(t.admin).expect(200);
    return new DirectoryView(t, res.body.directoryId);
  }

  async user(username: string): Promise<{ id: string; active: boolean; username: string } | undefined> {
    const page = await this.t.http.get(`/api/v1/directories/${this.directoryId}/users`).query({ q: username, limit: 200 }).set(this.t.admin).expect(200);
    return page.body.users.find((u: { username: string }) => u.username.toLowerCase() === username.toLowerCase());
  }

  /** The user's directory groups, by name, with the grants behind each. */
  async groupsOf(username: string): Promise<Record<string, Grant[]>> {
    const user = await this.user(username);
    if (!user) throw new Error(`no directory user ${username}`);
    const res = await this.t.http.get(`/api/v1/directories/${this.directoryId}/users/${user.id}/groups`).query({ limit: 200 }).set(this.t.admin).expect(200);
    return Object.fromEntries(res.body.groups.map((g: { displayName: string; grants: Grant[] }) => [g.displayName, g.grants]));
  }

  async groupNames(username: string): Promise<string[]> {
    return Object.keys(await this.groupsOf(username)).sort();
  }

  async group(name: string): Promise<{ id: string; displayName: string } | undefined> {
    const res = await this.t.http.get(`/api/v1/directories/${this.directoryId}/groups`).query({ q: name, limit: 200 }).set(this.t.admin).expect(200);
    return res.body.groups.find((g: { displayName: string }) => g.displayName.toLowerCase() === name.toLowerCase());
  }

  async why(username: string, group: string): Promise<{ member: boolean; reasons: { reason: string; lasting: boolean; source: Grant; connectorName: string | null }[] }> {
    const user = (await this.user(username))!;
    const g = (await this.group(group))!;
    return (await this.t.http.get(`/api/v1/directories/${this.directoryId}/users/${user.id}/groups/${g.id}/why`).set(this.t.admin).expect(200)).body;
  }
}

/** Replaces the connector's group settings and waits for the re-evaluation it started. */
export async function setGroupSettings(t: TestApp, connector: ScimClient, settings: object): Promise<void> {
  const res = await t.http.put(`/api/v1/connectors/${connector.connectorId}/group-settings`).set(t.admin).send(settings).expect(200);
  await waitForJob(t, connector, res.body.job.id);
}

export async function waitForJob(t: TestApp, connector: ScimClient, jobId: string): Promise<Record<string, unknown>> {
  for (;;) {
    const job = (await t.http.get(`/api/v1/connectors/${connector.connectorId}/group-settings/jobs/${jobId}`).set(t.admin).expect(200)).body;
    if (job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates users and returns their SCIM ids, by userName. */
export async function createUsers(client: ScimClient, names: string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const name of names) ids[name] = (await client.post('/Users', scimUser(name)).expect(201)).body.id;
  return ids;
}

/** Okta's group push: the group created empty, then members added by PATCH. */
export async function pushGroup(client: ScimClient, displayName: string, memberIds: string[] = [], externalId?: string): Promise<string> {
  const id = (await client.post('/Groups', { schemas: [GROUP_SCHEMA], displayName, ...(externalId ? { externalId } : {}), members: [] }).expect(201)).body.id;
  if (memberIds.length) await addMembers(client, id, memberIds);
  return id;
}

export async function addMembers(client: ScimClient, groupId: string, memberIds: string[]): Promise<void> {
  await client.patch(`/Groups/${groupId}`, [{ op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) }]).expect((res) => {
    if (res.status !== 200 && res.status !== 204) throw new Error(`PATCH ${res.status}: ${JSON.stringify(res.body)}`);
  });
}

export async function removeMembers(client: ScimClient, groupId: string, memberIds: string[]): Promise<void> {
  await client.patch(`/Groups/${groupId}`, [{ op: 'remove', path: 'members', value: memberIds.map((value) => ({ value })) }]).expect((res) => {
    if (res.status !== 200 && res.status !== 204) throw new Error(`PATCH ${res.status}: ${JSON.stringify(res.body)}`);
  });
}
