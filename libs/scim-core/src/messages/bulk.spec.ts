import { ScimError } from '../errors';
import {
  BULK_REQUEST_SCHEMA,
  BULK_RESPONSE_SCHEMA,
  bulkFailure,
  bulkIdReferences,
  bulkResponse,
  bulkSuccess,
  operationReferences,
  parseBulkRequest,
  planBulk,
  replaceBulkIdReferences,
  resolveOperation,
  type BulkRequest,
} from './bulk';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIMITS = { maxOperations: 10, maxPayloadSize: 1048576 };

function request(...ops: unknown[]): { schemas: string[]; Operations: unknown[] } {
  return { schemas: [BULK_REQUEST_SCHEMA], Operations: ops };
}

/** RFC 7644 3.7.2: a group created with a member created earlier in the same request. */
const RFC_3_7_2 = request(
  { method: 'POST', path: '/Users', bulkId: 'qwerty', data: { schemas: [USER], userName: 'Alice' } },
  { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP], displayName: 'Tour Guides', members: [{ type: 'User', value: 'bulkId:qwerty' }] } },
);

/** RFC 7644 3.7.1: two groups that are members of each other. */
const RFC_3_7_1 = request(
  { method: 'POST', path: '/Groups', bulkId: 'qwerty', data: { schemas: [GROUP], displayName: 'Group A', members: [{ type: 'Group', value: 'bulkId:ytrewq' }] } },
  { method: 'POST', path: '/Groups', bulkId: 'ytrewq', data: { schemas: [GROUP], displayName: 'Group B', members: [{ type: 'Group', value: 'bulkId:qwerty' }] } },
);

function refusal(run: () => unknown): ScimError {
  try {
    run();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error('expected a ScimError');
}

describe('parseBulkRequest', () => {
  it('accepts the RFC 7644 3.7.2 request', () => {
    const parsed = parseBulkRequest({ ...RFC_3_7_2, failOnErrors: 1 }, LIMITS);
    expect(parsed.failOnErrors).toBe(1);
    expect(parsed.Operations.map((o) => [o.method, o.bulkId, o.path])).toEqual([
      ['POST', 'qwerty', '/Users'],
      ['POST', 'ytrewq', '/Groups'],
    ]);
  });

  it('accepts PUT, PATCH and DELETE with versions, and drops data from a DELETE', () => {
    const parsed = parseBulkRequest(
      request(
        { method: 'PUT', path: '/Users/b7c14771', version: 'W/"3694e05e9dff591"', data: { schemas: [USER], userName: 'x' } },
        { method: 'PATCH', path: '/Groups/bulkId:qwerty', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] } },
        { method: 'DELETE', path: '/Users/e9025315', version: 'W/"0ee8add0a938e1a"', data: { ignored: true } },
      ),
      LIMITS,
    );
    expect(parsed.Operations[2]).toEqual({ method: 'DELETE', path: '/Users/e9025315', version: 'W/"0ee8add0a938e1a"' });
  });

  const cases: [string, unknown, number, string | undefined][] = [
    ['a body that is not an object', 'x', 400, 'invalidSyntax'],
    ['a missing BulkRequest schema', { schemas: [USER], Operations: [{ method: 'DELETE', path: '/Users/1' }] }, 400, 'invalidSyntax'],
    ['missing Operations', { schemas: [BULK_REQUEST_SCHEMA] }, 400, 'invalidSyntax'],
    ['empty Operations', request(), 400, 'invalidSyntax'],
    ['too many operations', request(...Array.from({ length: 11 }, (_, i) => ({ method: 'DELETE', path: `/Users/${i}` }))), 413, undefined],
    ['failOnErrors 0', { ...request({ method: 'DELETE', path: '/Users/1' }), failOnErrors: 0 }, 400, 'invalidValue'],
    ['failOnErrors as text', { ...request({ method: 'DELETE', path: '/Users/1' }), failOnErrors: '1' }, 400, 'invalidValue'],
    ['an operation that is not an object', request(1), 400, 'invalidSyntax'],
    ['an unknown method', request({ method: 'GET', path: '/Users/1' }), 400, 'invalidSyntax'],
    ['a lower-case method', request({ method: 'delete', path: '/Users/1' }), 400, 'invalidSyntax'],
    ['a POST without bulkId', request({ method: 'POST', path: '/Users', data: {} }), 400, 'invalidSyntax'],
    ['an empty bulkId', request({ method: 'POST', path: '/Users', bulkId: ' ', data: {} }), 400, 'invalidSyntax'],
    ['a repeated bulkId', request({ method: 'POST', path: '/Users', bulkId: 'a', data: {} }, { method: 'POST', path: '/Users', bulkId: 'a', data: {} }), 400, 'invalidValue'],
    ['a missing path', request({ method: 'DELETE' }), 400, 'invalidSyntax'],
    ['a POST to a resource', request({ method: 'POST', path: '/Users/1', bulkId: 'a', data: {} }), 400, 'invalidValue'],
    ['a PUT to an endpoint', request({ method: 'PUT', path: '/Users', data: {} }), 400, 'invalidValue'],
    ['a relative path', request({ method: 'DELETE', path: 'Users/1' }), 400, 'invalidValue'],
    ['a PATCH without data', request({ method: 'PATCH', path: '/Users/1' }), 400, 'invalidSyntax'],
    ['a version that is not a string', request({ method: 'DELETE', path: '/Users/1', version: 3 }), 400, 'invalidSyntax'],
  ];
  it.each(cases)('refuses %s', (_, body, status, scimType) => {
    const e = refusal(() => parseBulkRequest(body, LIMITS));
    expect([e.status, e.scimType]).toEqual([status, scimType]);
  });

  it('refuses a payload beyond maxPayloadSize with 413 and the RFC 7644 3.7.4 wording', () => {
    const e = refusal(() => parseBulkRequest(RFC_3_7_2, LIMITS, 2_000_000));
    expect(e.toJSON()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '413',
      detail: 'The size of the bulk operation exceeds the maxPayloadSize (1048576).',
    });
  });
});

describe('bulkId references', () => {
  it('finds whole-string references anywhere in data, once each', () => {
    expect(bulkIdReferences({ members: [{ value: 'bulkId:a' }, { value: 'bulkId:b' }], manager: { value: 'bulkId:a' }, note: 'see bulkId:c', x: 'bulkId:' })).toEqual(['a', 'b']);
  });

  it('finds references in a path segment too', () => {
    const op = parseBulkRequest(request({ method: 'PATCH', path: '/Groups/bulkId:g', data: { Operations: [{ value: [{ value: 'bulkId:u' }] }] } }), LIMITS).Operations[0];
    expect(operationReferences(op)).toEqual(['g', 'u']);
  });

  it('replaces references without touching the input, listing the ones it cannot resolve', () => {
    const data = { members: [{ value: 'bulkId:qwerty' }, { value: 'bulkId:gone' }, { value: 'plain' }] };
    const copy = JSON.parse(JSON.stringify(data));
    const out = replaceBulkIdReferences(data, (id) => (id === 'qwerty' ? '92b725cd' : undefined));
    expect(out.value).toEqual({ members: [{ value: '92b725cd' }, { value: 'bulkId:gone' }, { value: 'plain' }] });
    expect(out.unresolved).toEqual(['gone']);
    expect(data).toEqual(copy);
  });

  it('resolves an operation path and data together', () => {
    const op = parseBulkRequest(request({ method: 'PATCH', path: '/Groups/bulkId:g', data: { Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }] } }), LIMITS).Operations[0];
    const ids: Record<string, string> = { g: 'group-1', u: 'user-1' };
    const out = resolveOperation(op, (id) => ids[id]);
    expect(out.unresolved).toEqual([]);
    expect(out.op.path).toBe('/Groups/group-1');
    expect(out.op.data).toEqual({ Operations: [{ op: 'add', path: 'members', value: [{ value: 'user-1' }] }] });
  });
});

describe('planBulk', () => {
  const plan = (body: object) => planBulk(parseBulkRequest(body, LIMITS));

  it('keeps request order when references point backwards (RFC 7644 3.7.2)', () => {
    expect(plan(RFC_3_7_2)).toEqual({ order: [0, 1], failures: new Map() });
  });

  it('runs a referenced POST first when it comes later in the request', () => {
    const r = plan(request(...[...RFC_3_7_2.Operations].reverse(), { method: 'DELETE', path: '/Users/x' }));
    expect(r.order).toEqual([1, 0, 2]);
    expect(r.failures.size).toBe(0);
  });

  it('fails every operation on a circular reference with 409 (RFC 7644 3.7.1)', () => {
    const r = plan(RFC_3_7_1);
    expect([...r.failures.keys()]).toEqual([0, 1]);
    expect(r.failures.get(0)?.status).toBe(409);
    expect(r.failures.get(0)?.detail).toMatch(/circular bulkId reference \(qwerty, ytrewq\)/);
    expect(r.order).toEqual([0, 1]);
  });

  it('detects a self-reference and a longer cycle, and orders what depends on them after them', () => {
    const r = plan(
      request(
        { method: 'POST', path: '/Groups', bulkId: 'self', data: { members: [{ value: 'bulkId:self' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'a', data: { members: [{ value: 'bulkId:b' }] } },
        { method: 'PATCH', path: '/Groups/bulkId:a', data: { Operations: [] } },
        { method: 'POST', path: '/Groups', bulkId: 'b', data: { members: [{ value: 'bulkId:c' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'c', data: { members: [{ value: 'bulkId:a' }] } },
      ),
    );
    expect([...r.failures.keys()].sort()).toEqual([0, 1, 3, 4]);
    expect(r.order).toEqual([0, 1, 2, 3, 4]);
  });

  it('fails a reference to a bulkId that no POST defines with 400 invalidValue', () => {
    const r = plan(request({ method: 'PATCH', path: '/Groups/g1', data: { Operations: [{ value: [{ value: 'bulkId:nobody' }] }] } }));
    expect(r.failures.get(0)?.scimType).toBe('invalidValue');
    expect(r.order).toEqual([0]);
  });

  it('lists every operation exactly once', () => {
    const body = request(
      { method: 'POST', path: '/Users', bulkId: 'u3', data: { manager: { value: 'bulkId:u2' } } },
      { method: 'POST', path: '/Users', bulkId: 'u2', data: { manager: { value: 'bulkId:u1' } } },
      { method: 'POST', path: '/Users', bulkId: 'u1', data: {} },
    );
    const parsed: BulkRequest = parseBulkRequest(body, LIMITS);
    expect(planBulk(parsed).order).toEqual([2, 1, 0]);
  });
});

describe('bulk responses', () => {
  it('builds the RFC 7644 3.7.3 shapes', () => {
    const [post, del] = parseBulkRequest(
      request({ method: 'POST', path: '/Users', bulkId: 'qwerty', data: { userName: 'Alice' } }, { method: 'DELETE', path: '/Users/b7c14771' }),
      LIMITS,
    ).Operations;
    expect(
      bulkResponse([
        bulkSuccess(post, { status: 201, location: 'https://example.com/v2/Users/92b725cd', version: 'W/"4weymrEsh5O6cAEK"' }),
        bulkFailure(del, new ScimError(404, undefined, 'Resource does not exist.'), 'https://example.com/v2/Users/b7c14771'),
      ]),
    ).toEqual({
      schemas: [BULK_RESPONSE_SCHEMA],
      Operations: [
        { method: 'POST', bulkId: 'qwerty', version: 'W/"4weymrEsh5O6cAEK"', location: 'https://example.com/v2/Users/92b725cd', status: '201' },
        {
          method: 'DELETE',
          location: 'https://example.com/v2/Users/b7c14771',
          status: '404',
          response: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'Resource does not exist.' },
        },
      ],
    });
  });

  it('reports a failed POST without location, with its scimType', () => {
    const [post] = parseBulkRequest(request({ method: 'POST', path: '/Users', bulkId: 'q', data: {} }), LIMITS).Operations;
    expect(bulkFailure(post, new ScimError(400, 'invalidSyntax', 'bad'))).toEqual({
      method: 'POST',
      bulkId: 'q',
      status: '400',
      response: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidSyntax', detail: 'bad' },
    });
  });
});
