// The endpoint root of a connector: discovery (RFC 7644 section 4), root-level /.search across
// resource types (3.4.3) and /Bulk (3.7).
import { All, Body, Controller, Get, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { listResponse, ScimError } from '@roster/scim-core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { ConnectorContext, ConnectorCtx } from './connector-context';
import { resourceTypeDocument, schemaDocument, serviceProviderConfig } from './discovery';
import { ScimAuthGuard } from './scim-auth.guard';
import { ScimBulkService } from './scim-bulk.service';
import { ScimExceptionFilter } from './scim-exception.filter';
import { needsOf, projected, projectionOf, sendJson, sendList } from './scim-http';
import { parseListQuery } from './scim-query';
import { ScimResourcesService } from './scim-resources.service';

@ApiTags('SCIM discovery, search and bulk')
@ApiBearerAuth('scim')
@ApiParam({ name: 'connectorId', description: 'The connector whose SCIM endpoint this is' })
@ApiProduces('application/scim+json')
@Controller('scim/v2/:connectorId')
@UseGuards(ScimAuthGuard)
@UseFilters(ScimExceptionFilter)
export class ScimRootController {
  constructor(
    private readonly resources: ScimResourcesService,
    private readonly bulk: ScimBulkService,
  ) {}

  @Get('ServiceProviderConfig')
  @ApiOperation({ summary: 'What this endpoint supports (also served at /serviceConfiguration)' })
  serviceProviderConfig(@ConnectorCtx() ctx: ConnectorContext, @Res() reply: FastifyReply) {
    sendJson(reply, 200, serviceProviderConfig(ctx.baseUrl));
  }

  // Microsoft's SCIM validator reads the configuration from this older path.
  @Get('serviceConfiguration')
  @ApiOperation({ summary: 'Alias of /ServiceProviderConfig' })
  serviceConfiguration(@ConnectorCtx() ctx: ConnectorContext, @Res() reply: FastifyReply) {
    sendJson(reply, 200, serviceProviderConfig(ctx.baseUrl));
  }

  @Get('ResourceTypes')
  @ApiOperation({ summary: 'The resource types served: User, then Group' })
  resourceTypes(@ConnectorCtx() ctx: ConnectorContext, @Res() reply: FastifyReply) {
    const docs = ctx.kinds.resourceTypes.map((d) => resourceTypeDocument(d, ctx.baseUrl));
    sendJson(reply, 200, listResponse(docs, { totalResults: docs.length }));
  }

  @Get('ResourceTypes/:id')
  @ApiOperation({ summary: 'One resource type' })
  resourceType(@ConnectorCtx() ctx: ConnectorContext, @Param('id') id: string, @Res() reply: FastifyReply) {
    const def = ctx.kinds.resourceTypes.find((d) => d.id === id);
    if (!def) throw new ScimError(404, undefined, `Resource type ${id} not found`);
    sendJson(reply, 200, resourceTypeDocument(def, ctx.baseUrl));
  }

  @Get('Schemas')
  @ApiOperation({ summary: 'The schemas with every attribute characteristic' })
  schemas(@ConnectorCtx() ctx: ConnectorContext, @Res() reply: FastifyReply) {
    const docs = ctx.kinds.schemas.map((d) => schemaDocument(d, ctx.baseUrl));
    sendJson(reply, 200, listResponse(docs, { totalResults: docs.length }));
  }

  @Get('Schemas/:id')
  @ApiOperation({ summary: 'One schema, by URN' })
  schema(@ConnectorCtx() ctx: ConnectorContext, @Param('id') id: string, @Res() reply: FastifyReply) {
    const def = ctx.kinds.schemas.find((d) => d.id.toLowerCase() === id.toLowerCase());
    if (!def) throw new ScimError(404, undefined, `Schema ${id} not found`);
    sendJson(reply, 200, schemaDocument(def, ctx.baseUrl));
  }

  // RFC 7644 3.11: a bearer token here stands for an IdP, not for a user, so there is no "me".
  @All('Me')
  @ApiOperation({ summary: 'Not implemented (501): connector tokens authenticate an IdP, not a user' })
  @ApiResponse({ status: 501, description: 'SCIM Error' })
  me() {
    throw new ScimError(501, undefined, 'The /Me endpoint is not implemented: a connector token authenticates an identity provider, not a user');
  }

  @Post('.search')
  @ApiOperation({ summary: 'Search users and groups together (users first)' })
  @ApiBody({ schema: { type: 'object', example: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'externalId eq "abc"' } } })
  async search(@ConnectorCtx() ctx: ConnectorContext, @Body() body: Record<string, unknown> | undefined, @Res() reply: FastifyReply) {
    const query = parseListQuery(body ?? {});
    const projection = projectionOf(query);
    // A filter naming an attribute one type lacks selects nothing of that type; bad syntax is still 400.
    const outcomes = await Promise.allSettled(ctx.kinds.all.map((kind) => this.resources.list(ctx, kind, { ...query, startIndex: 1, count: 0 })));
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failures.length === outcomes.length) throw failures[0].reason;
    const resources: Record<string, unknown>[] = [];
    let skip = query.startIndex - 1;
    let total = 0;
    for (const [i, kind] of ctx.kinds.all.entries()) {
      const outcome = outcomes[i];
      if (outcome.status === 'rejected') continue;
      const count = outcome.value.total;
      total += count;
      const room = query.count - resources.length;
      if (skip >= count || room <= 0) {
        skip = Math.max(0, skip - count);
        continue;
      }
      const page = await this.resources.list(ctx, kind, { ...query, startIndex: skip + 1, count: room }, needsOf(projection));
      resources.push(...page.resources.map((r) => projected(r, kind.schema, projection)));
      skip = 0;
    }
    sendList(reply, resources, total, query.startIndex);
  }

  @Post('Bulk')
  @ApiOperation({ summary: 'Run many operations in one request (RFC 7644 3.7); bulkId references between them' })
  @ApiBody({ schema: { type: 'object' } })
  @ApiResponse({ status: 200, description: 'BulkResponse' })
  @ApiResponse({ status: 413, description: 'More operations or bytes than maxOperations / maxPayloadSize' })
  async runBulk(@ConnectorCtx() ctx: ConnectorContext, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const size = Number(request.headers['content-length'] ?? JSON.stringify(body ?? null).length);
    sendJson(reply, 200, await this.bulk.run(ctx, body, size));
  }
}
