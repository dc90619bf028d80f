// The two SCIM resource types a connector serves, and what differs between them: the schema, the
// indexed columns derived from a resource, the attribute a resource cannot exist without, and the
// attribute kept outside the resource JSON (a group's members are rows, not an array).
import { CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, groupSchema, ResourceSchema, userSchema } from '@roster/scim-core';
import { IndexedColumns, ScimResourceType } from '../directory/scim-resource.store';

export type JsonObject = Record<string, unknown>;

export interface ResourceKind {
  type: ScimResourceType;
  endpoint: '/Users' | '/Groups';
  coreSchema: string;
  schema: ResourceSchema;
  /** The attribute RFC 7643 marks required (besides id and schemas). */
  required: 'userName' | 'displayName';
  /** Read-only attributes derived by Roster; a client's copy is ignored. */
  derived: readonly string[];
  /** Attributes stored as rows; the PATCH engine reports their changes as MemberOps. */
  external: readonly string[];
  columns(data: JsonObject): IndexedColumns;
  /** What Roster keeps of a canonical resource (after POST, PUT or PATCH). */
  prepare(data: JsonObject): JsonObject;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const USERS: ResourceKind = {
  type: 'User',
  endpoint: '/Users',
  coreSchema: CORE_USER_SCHEMA,
  schema: userSchema(),
  required: 'userName',
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

export const GROUPS: ResourceKind = {
  type: 'Group',
  endpoint: '/Groups',
  coreSchema: CORE_GROUP_SCHEMA,
  schema: groupSchema(),
  required: 'displayName',
  derived: ['id', 'meta'],
  external: ['members'],
  columns: (data) => ({ display_name: String(data.displayName), external_id: text(data.externalId) }),
  prepare: (data) => data,
};

export const RESOURCE_KINDS: readonly ResourceKind[] = [USERS, GROUPS];
