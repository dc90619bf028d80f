// List parameters of RFC 7644 3.4.2 (query string or POST /.search body), validated once.
import { ScimError } from '@roster/scim-core';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface ListQuery {
  filter?: string;
  startIndex: number;
  count: number;
  sortBy?: string;
  sortOrder: 'ascending' | 'descending';
  attributes?: string;
  excludedAttributes?: string;
}

export interface ProjectionQuery {
  attributes?: string;
  excludedAttributes?: string;
}

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw new ScimError(400, 'invalidValue', `${name} must be an integer`);
  return n;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => text(v, name)).join(',');
  if (typeof value !== 'string') throw new ScimError(400, 'invalidValue', `${name} must be a string`);
  return value;
}

/** RFC 7644 3.4.2.4: startIndex below 1 is read as 1, a negative count as 0; count is capped. */
export function parseListQuery(raw: Record<string, unknown>): ListQuery {
  const startIndex = Math.max(1, integer(raw.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, integer(raw.count, 'count') ?? DEFAULT_PAGE_SIZE));
  const sortOrder = text(raw.sortOrder, 'sortOrder')?.toLowerCase() ?? 'ascending';
  if (sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw new ScimError(400, 'invalidValue', 'sortOrder must be "ascending" or "descending"');
  }
  const filter = text(raw.filter, 'filter');
  return {
    filter: filter?.trim() ? filter : undefined,
    startIndex,
    count,
    sortBy: text(raw.sortBy, 'sortBy') || undefined,
    sortOrder,
    attributes: text(raw.attributes, 'attributes') || undefined,
    excludedAttributes: text(raw.excludedAttributes, 'excludedAttributes') || undefined,
  };
}

export function parseProjectionQuery(raw: Record<string, unknown>): ProjectionQuery {
  return {
    attributes: text(raw.attributes, 'attributes') || undefined,
    excludedAttributes: text(raw.excludedAttributes, 'excludedAttributes') || undefined,
  };
}
