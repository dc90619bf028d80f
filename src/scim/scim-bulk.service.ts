// RFC 7644 section 3.7 Bulk: operations run in dependency order (a POST before anything naming its
// bulkId), each in its own transaction as the RFC describes independent operations; `failOnErrors`
// stops the run after that many failures. Limits are advertised in /ServiceProviderConfig and
// enforced here (413 before anything runs).
import { Injectable } from '@nestjs/common';
import {
  BulkOperation,
  BulkOperationResult,
  bulkFailure,
  bulkResponse,
  BulkResponse,
  bulkSuccess,
  parseBulkRequest,
  planBulk,
  resolveOperation,
  ScimError,
} from '@roster/scim-core';
import { ConnectorContext } from './connector-context';
import { BULK_LIMITS } from './discovery';
import { etag } from './etag';
import { ResourceKind } from './resource-kinds';
import { toScimError } from './scim-exception.filter';
import { NEED_ALL, Rendered, ScimResourcesService } from './scim-resources.service';

@Injectable()
export class ScimBulkService {
  constructor(private readonly resources: ScimResourcesService) {}

  async run(ctx: ConnectorContext, body: unknown, payloadSize: number): Promise<BulkResponse> {
    const request = parseBulkRequest(body, BULK_LIMITS, payloadSize);
    const plan = planBulk(request);
    const created = new Map<string, string>();
    const results: BulkOperationResult[] = [];
    let errors = 0;
    for (const index of plan.order) {
      if (request.failOnErrors !== undefined && request.failOnErrors > 0 && errors >= request.failOnErrors) break;
      const original = request.Operations[index];
      const failure = plan.failures.get(index);
      if (failure) {
        results.push(bulkFailure(original, failure));
        errors++;
        continue;
      }
      const { op, unresolved } = resolveOperation(original, (bulkId) => created.get(bulkId));
      if (unresolved.length) {
        // The POST defining that bulkId failed, so this operation has nothing to act on.
        results.push(bulkFailure(original, new ScimError(409, undefined, `bulkId ${unresolved.join(', ')} was not created`)));
        errors++;
        continue;
      }
      try {
        const { status, rendered } = await this.execute(ctx, op);
        if (op.method === 'POST' && op.bulkId !== undefined && rendered) created.set(op.bulkId, String(rendered.resource.id));
        results.push(
          bulkSuccess(op, {
            status,
            location: rendered ? rendered.location : `${ctx.baseUrl}${op.path}`,
            ...(rendered ? { version: etag(rendered.version) } : {}),
          }),
        );
      } catch (error) {
        results.push(bulkFailure(op, toScimError(error), op.method === 'POST' ? undefined : `${ctx.baseUrl}${op.path}`));
        errors++;
      }
    }
    return bulkResponse(results);
  }

  private async execute(ctx: ConnectorContext, op: BulkOperation): Promise<{ status: number; rendered?: Rendered }> {
    const [endpoint, id] = op.path.split('/').filter(Boolean);
    const kind = kindAt(ctx, endpoint);
    switch (op.method) {
      case 'POST':
        return { status: 201, rendered: await this.resources.create(ctx, kind, op.data, NEED_ALL) };
      case 'PUT':
        return { status: 200, rendered: await this.resources.replace(ctx, kind, id, op.data, op.version, NEED_ALL) };
      case 'PATCH':
        return { status: 200, rendered: await this.resources.patch(ctx, kind, id, op.data, op.version, NEED_ALL) };
      case 'DELETE':
        await this.resources.delete(ctx, kind, id, op.version);
        return { status: 204 };
    }
  }
}

function kindAt(ctx: ConnectorContext, endpoint: string): ResourceKind {
  const kind = ctx.kinds.all.find((k) => k.endpoint.toLowerCase() === `/${endpoint}`.toLowerCase());
  if (!kind) throw new ScimError(404, undefined, `No resource endpoint /${endpoint}: use /Users or /Groups`);
  return kind;
}
