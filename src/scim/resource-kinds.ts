// The two SCIM resource types a connector serves, and what differs between them: the schema (core,
// the enterprise extension for users, and the connector's own extensions), the indexed columns
// derived from a resource, and the attribute kept outside the resource JSON (a group's members are
// rows, not an array). Built once per connector configuration and cached.
import {
  CORE_GROUP,
  CORE_USER,
  ENTERPRISE_USER,
  groupSchema,
  ResourceSchema,
  ResourceTypeDef,
  SchemaDef,
  SchemaExtensionDeclaration,
  userSchema,
} from '@roster/scim-core';
import { IndexedColumns, ScimResourceType } from '../directory/scim-resource.store';

export type JsonObject = Record<string, unknown>;

export interface ResourceKind {
  type: ScimResourceType;
  endpoint: '/Users' | '/Groups';
  schema: ResourceSchema;
  /** Read-only attributes derived by Roster; a client's copy is ignored. */
  derived: readonly string[];
  /** Attributes stored as rows; the PATCH engine reports their changes as MemberOps. */
  external: readonly string[];
  columns(data: JsonObject): IndexedColumns;
  /** What Roster keeps of a canonical resource (after POST, PUT or PATCH). */
  prepare(data: JsonObject): JsonObject;
}

/** A connector's resource types, and the discovery documents that describe them. */
export interface ResourceKinds {
  User: ResourceKind;
  Group: ResourceKind;
  /** Users first, as /ResourceTypes lists them. */
  all: readonly ResourceKind[];
  schemas: readonly SchemaDef[];
  resourceTypes: readonly ResourceTypeDef[];
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function resourceKinds(extensions: readonly SchemaExtensionDeclaration[] = []): ResourceKinds {
  const userExtensions = extensions.filter((e) => e.resourceType === 'User').map((e) => e.schema);
  const groupExtensions = extensions.filter((e) => e.resourceType === 'Group').map((e) => e.schema);
  const User: ResourceKind = {
    type: 'User',
    endpoint: '/Users',
    schema: userSchema(userExtensions),
    derived: ['id', 'meta', 'groups'],
    external: [],
    columns: (data) => ({
      user_name: String(data.userName),
      external_id: text(data.externalId),
      display_name: text(data.displayName),
      active: data.active !== false,
    }),
    // A user is active unless the IdP says otherwise. Passwords (Okta sends one on create) are not
    // kept: Roster provisions identities, it does not authenticate them ("returned": "never").
    prepare: ({ password: _password, ...data }) => ({ ...data, active: data.active ?? true }),
  };
  const Group: ResourceKind = {
    type: 'Group',
    endpoint: '/Groups',
    schema: groupSchema(groupExtensions),
    derived: ['id', 'meta'],
    external: ['members'],
    columns: (data) => ({ display_name: String(data.displayName), external_id: text(data.externalId) }),
    prepare: (data) => data,
  };
  return {
    User,
    Group,
    all: [User, Group],
    schemas: [CORE_USER, ENTERPRISE_USER, ...userExtensions, CORE_GROUP, ...groupExtensions],
    resourceTypes: [User.schema.resourceType, Group.schema.resourceType],
  };
}

/** Per-connector kinds, rebuilt only when the connector's extensions change. */
export class ResourceKindsCache {
  private readonly byConnector = new Map<string, { declared: readonly SchemaExtensionDeclaration[]; key: string; kinds: ResourceKinds }>();
  private readonly standard = resourceKinds();

  for(connectorId: string, extensions: readonly SchemaExtensionDeclaration[] | undefined): ResourceKinds {
    if (!extensions?.length) return this.standard;
    const hit = this.byConnector.get(connectorId);
    // The credentials cache hands out the same settings object for a while: most requests stop here.
    if (hit?.declared === extensions) return hit.kinds;
    const key = JSON.stringify(extensions);
    const kinds = hit?.key === key ? hit.kinds : resourceKinds(extensions);
    this.byConnector.set(connectorId, { declared: extensions, key, kinds });
    return kinds;
  }
}
