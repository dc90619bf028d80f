import type TestAgent from 'supertest/lib/agent';
import type { Test } from 'supertest';
import { TestApp } from './test-app';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** A SCIM client for one connector, speaking as its IdP would (bearer token, scim+json). */
export class ScimClient {
  constructor(
    private readonly http: TestAgent,
    readonly connectorId: string,
    readonly token: string,
    readonly baseUrl: string,
  ) {}

  /** Path under the connector's base, e.g. `/Users?filter=...`. */
  path(p: string): string {
    return `/scim/v2/${this.connectorId}${p}`;
  }

  private auth(t: Test): Test {
    return t.set('authorization', `Bearer ${this.token}`).set('accept', 'application/scim+json');
  }

  get(p: string): Test {
    return this.auth(this.http.get(this.path(p)));
  }
  delete(p: string): Test {
    return this.auth(this.http.delete(this.path(p)));
  }
  post(p: string, body: object): Test {
    return this.auth(this.http.post(this.path(p))).set('content-type', 'application/scim+json').send(JSON.stringify(body));
  }
  put(p: string, body: object): Test {
    return this.auth(this.http.put(this.path(p))).set('content-type', 'application/scim+json').send(JSON.stringify(body));
  }
  patch(p: string, operations: object[]): Test {
    return this.auth(this.http.patch(this.path(p)))
      .set('content-type', 'application/scim+json')
      .send(JSON.stringify({ schemas: [PATCH_SCHEMA], Operations: operations }));
  }
}

export async function createScimConnector(t: TestApp, idp: string, name = `${idp}-${Math.random().toString(36).slice(2, 8)}`): Promise<ScimClient> {
  const res = await t.http.post('/api/v1/connectors').set(t.admin).send({ name, idp }).expect(201);
  return new ScimClient(t.http, res.body.id, res.body.token, res.body.scimBaseUrl);
}
