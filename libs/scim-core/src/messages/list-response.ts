// The ListResponse message of RFC 7644 section 3.4.2 (query results, paginated per 3.4.2.4).

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_SCHEMA];
  /** Results matching the query across all pages. */
  totalResults: number;
  /** 1-based index of the first result in this page. */
  startIndex: number;
  /** Results in this page. */
  itemsPerPage: number;
  Resources: T[];
}

export interface ListPage {
  totalResults: number;
  /** Defaults to 1 (RFC 7644 3.4.2.4). */
  startIndex?: number;
}

/**
 * Builds a ListResponse for one page. `Resources` is always present, also when empty: RFC 7644
 * 3.4.2 only requires it for a non-zero total, but Entra ID and Okta read an empty array more
 * reliably than a missing one.
 */
export function listResponse<T>(resources: readonly T[], page: ListPage): ListResponse<T> {
  const startIndex = page.startIndex ?? 1;
  if (!Number.isInteger(page.totalResults) || page.totalResults < 0) throw new RangeError(`totalResults must be a non-negative integer, got ${page.totalResults}`);
  if (!Number.isInteger(startIndex) || startIndex < 1) throw new RangeError(`startIndex must be an integer of at least 1, got ${startIndex}`);
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: [...resources],
  };
}
