// What every SCIM handler does with HTTP: the media type, the ETag and Location headers, the
// attributes/excludedAttributes projection (RFC 7644 3.4.2.5, 3.9), and which derived attributes
// a projection needs loaded at all.
import { listResponse, parseAttributeList, project, ResourceSchema } from '@roster/scim-core';
import { FastifyReply } from 'fastify';
import { SCIM_CONTENT_TYPE } from './scim-exception.filter';
import { etag } from './etag';
import { JsonObject } from './resource-kinds';
import { Needs, Rendered } from './scim-resources.service';
import { ProjectionQuery } from './scim-query';

export interface Projection {
  attributes: string[];
  excludedAttributes: string[];
}

export function projectionOf(query: ProjectionQuery): Projection {
  return { attributes: parseAttributeList(query.attributes), excludedAttributes: parseAttributeList(query.excludedAttributes) };
}

/** The top-level attribute an `attributes` entry names (`members.value` → members; `emails[...]` → emails). */
function topName(entry: string): string {
  const withoutFilter = entry.replace(/\[.*$/, '');
  const afterUrn = withoutFilter.includes(':') ? withoutFilter.slice(withoutFilter.lastIndexOf(':') + 1) : withoutFilter;
  return afterUrn.split('.')[0].toLowerCase();
}

function wanted(projection: Projection, name: string): boolean {
  if (projection.attributes.length) return projection.attributes.some((a) => topName(a) === name);
  return !projection.excludedAttributes.some((a) => topName(a) === name);
}

/** Groups larger than this are answered without `members` after a write, unless asked for. */
export const WRITE_RESPONSE_MEMBER_LIMIT = 1000;

export function needsOf(projection: Projection, write = false): Needs {
  const needs: Needs = { members: wanted(projection, 'members'), groups: wanted(projection, 'groups') };
  const askedForMembers = projection.attributes.some((a) => topName(a) === 'members');
  return write && !askedForMembers ? { ...needs, memberLimit: WRITE_RESPONSE_MEMBER_LIMIT } : needs;
}

/**
 * `attributes=emails[type eq "work"]` (Microsoft's validator) names an attribute with a filter,
 * which RFC 7644 does not define: it is read as the attribute.
 */
function plainNames(names: string[]): string[] {
  return names.map((n) => n.replace(/\[.*?\]/g, ''));
}

export function projected(rendered: Rendered, schema: ResourceSchema, projection: Projection): JsonObject {
  // With no parameters the resource is returned as rendered: what is stored is returnable (a
  // password, "returned": "never", is never stored), so the walk through the schema is skipped.
  if (!projection.attributes.length && !projection.excludedAttributes.length) return rendered.resource;
  const out = project(rendered.resource as never, schema, {
    attributes: plainNames(projection.attributes),
    excludedAttributes: plainNames(projection.excludedAttributes),
  }) as JsonObject;
  // An empty list is "unassigned" to RFC 7643, but Okta checks `members` is an empty array.
  const { members } = rendered.resource;
  if (Array.isArray(members) && members.length === 0 && wanted(projection, 'members')) out.members = [];
  return out;
}

export function sendResource(reply: FastifyReply, status: number, rendered: Rendered, schema: ResourceSchema, projection: Projection): void {
  void reply
    .status(status)
    .type(SCIM_CONTENT_TYPE)
    .header('etag', etag(rendered.version))
    .header('location', rendered.location)
    .send(projected(rendered, schema, projection));
}

export function sendList(reply: FastifyReply, resources: JsonObject[], total: number, startIndex: number): void {
  void reply.status(200).type(SCIM_CONTENT_TYPE).send(listResponse(resources, { totalResults: total, startIndex }));
}

export function sendJson(reply: FastifyReply, status: number, body: unknown): void {
  void reply.status(status).type(SCIM_CONTENT_TYPE).send(body);
}
