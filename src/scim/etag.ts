// RFC 7644 3.14: resource versions as weak ETags, and the If-Match / If-None-Match preconditions.
import { ScimError } from '@roster/scim-core';

export function etag(version: number): string {
  return `W/"${version}"`;
}

function listed(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/** Throws 412 when If-Match is present and names neither `*` nor the current version. */
export function checkIfMatch(header: string | string[] | undefined, version: number): void {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return;
  const tags = listed(value);
  if (!tags.includes('*') && !tags.includes(`"${version}"`)) {
    throw new ScimError(412, undefined, `The resource has changed: its version is ${etag(version)}, not ${value}`);
  }
}

/** True when If-None-Match names the current version (answer 304). */
export function notModified(header: string | string[] | undefined, version: number): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return false;
  const tags = listed(value);
  return tags.includes('*') || tags.includes(`"${version}"`);
}
