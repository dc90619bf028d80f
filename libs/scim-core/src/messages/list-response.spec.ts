import { LIST_RESPONSE_SCHEMA, listResponse } from './list-response';

describe('listResponse', () => {
  it('builds the RFC 7644 3.4.2 example page', () => {
    const resources = [{ id: '2819c223-7f76-453a-919d-413861904646', userName: 'bjensen' }];
    expect(listResponse(resources, { totalResults: 2, startIndex: 1 })).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 2,
      startIndex: 1,
      itemsPerPage: 1,
      Resources: resources,
    });
  });

  it('defaults startIndex to 1 and keeps an empty Resources array', () => {
    expect(listResponse([], { totalResults: 0 })).toEqual({ schemas: [LIST_RESPONSE_SCHEMA], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('reports a later page', () => {
    const r = listResponse(['c', 'd'], { totalResults: 5, startIndex: 3 });
    expect([r.startIndex, r.itemsPerPage, r.totalResults]).toEqual([3, 2, 5]);
  });

  it('copies the page so later changes to the input do not leak in', () => {
    const page = [{ id: 'a' }];
    const r = listResponse(page, { totalResults: 1 });
    page.push({ id: 'b' });
    expect(r.Resources).toHaveLength(1);
  });

  it.each([
    [{ totalResults: -1 }],
    [{ totalResults: 1.5 }],
    [{ totalResults: 1, startIndex: 0 }],
  ])('refuses %j as a programming error', (page) => expect(() => listResponse([], page)).toThrow(RangeError));
});
