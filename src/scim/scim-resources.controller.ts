// /Users and /Groups of a connector's SCIM endpoint (RFC 7644 section 3). One controller shape for
// both resource types, built per type so each gets its own routes and Swagger section.
import { Body, Controller, Delete, Get, Headers, Param, Patch, Post, Put, Query, Res, Type, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { IDP_ANSWERS } from '../connectors/idp-presets';
import { ConnectorContext, ConnectorCtx } from './connector-context';
import { etag, notModified } from './etag';

import { ScimAuthGuard } from './scim-auth.guard';
import { ScimExceptionFilter } from './scim-exception.filter';
import { needsOf, projected, projectionOf, sendList, sendResource } from './scim-http';
import { parseListQuery, parseProjectionQuery } from './scim-query';
import { ScimResourcesService } from './scim-resources.service';

/** 204 where the connector's IdP preset asks for it, unless the request names attributes (RFC 7644 3.5.2). */
function patchAnswersNoContent(ctx: ConnectorContext, query: Record<string, unknown>): boolean {
  return IDP_ANSWERS[ctx.idp].patch === 'noContent' && query.attributes === undefined && query.excludedAttributes === undefined;
}

const SCIM_ERROR = { description: 'SCIM Error (RFC 7644 3.12): schemas, status as a string, scimType, detail' };

function resourceController(type: 'User' | 'Group'): Type<unknown> {
  const noun = type.toLowerCase();
  const endpoint = `/${type}s`;

  @ApiTags(`SCIM ${type}s`)
  @ApiBearerAuth('scim')
  @ApiParam({ name: 'connectorId', description: 'The connector whose SCIM endpoint this is' })
  @ApiProduces('application/scim+json')
  @ApiResponse({ status: 401, ...SCIM_ERROR })
  @Controller(`scim/v2/:connectorId${endpoint}`)
  @UseGuards(ScimAuthGuard)
  @UseFilters(ScimExceptionFilter)
  class ResourceController {
    constructor(readonly resources: ScimResourcesService) {}

    @Get()
    @ApiOperation({ summary: `List or filter ${noun}s`, description: 'filter, sortBy, sortOrder, startIndex, count, attributes, excludedAttributes (RFC 7644 3.4.2)' })
    @ApiResponse({ status: 200, description: 'ListResponse' })
    @ApiResponse({ status: 400, ...SCIM_ERROR })
    async list(@ConnectorCtx() ctx: ConnectorContext, @Query() raw: Record<string, unknown>, @Res() reply: FastifyReply) {
      await this.search(ctx, raw, reply);
    }

    @Post('.search')
    @ApiOperation({ summary: `Search ${noun}s with a SearchRequest body (RFC 7644 3.4.3)` })
    @ApiBody({ schema: { type: 'object', example: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'userName sw "j"', count: 10 } } })
    @ApiResponse({ status: 200, description: 'ListResponse' })
    async searchPost(@ConnectorCtx() ctx: ConnectorContext, @Body() body: Record<string, unknown> | undefined, @Res() reply: FastifyReply) {
      await this.search(ctx, body ?? {}, reply);
    }

    @Post()
    @ApiOperation({ summary: `Create a ${noun}` })
    @ApiBody({ schema: { type: 'object' } })
    @ApiResponse({ status: 201, description: `The ${noun} as stored, with ETag and Location headers` })
    @ApiResponse({ status: 409, ...SCIM_ERROR })
    async create(@ConnectorCtx() ctx: ConnectorContext, @Body() body: unknown, @Query() raw: Record<string, unknown>, @Res() reply: FastifyReply) {
      const kind = ctx.kinds[type];
      const projection = projectionOf(parseProjectionQuery(raw));
      const rendered = await this.resources.create(ctx, kind, body, needsOf(projection, true));
      sendResource(reply, 201, rendered, kind.schema, projection);
    }

    @Get(':id')
    @ApiOperation({ summary: `Read a ${noun}` })
    @ApiResponse({ status: 200, description: `The ${noun}` })
    @ApiResponse({ status: 304, description: 'If-None-Match named the current version' })
    @ApiResponse({ status: 404, ...SCIM_ERROR })
    async get(
      @ConnectorCtx() ctx: ConnectorContext,
      @Param('id') id: string,
      @Query() raw: Record<string, unknown>,
      @Headers('if-none-match') ifNoneMatch: string | undefined,
      @Res() reply: FastifyReply,
    ) {
      const kind = ctx.kinds[type];
      const projection = projectionOf(parseProjectionQuery(raw));
      const rendered = await this.resources.get(ctx, kind, id, needsOf(projection));
      if (notModified(ifNoneMatch, rendered.version)) {
        void reply.status(304).header('etag', etag(rendered.version)).send();
        return;
      }
      sendResource(reply, 200, rendered, kind.schema, projection);
    }

    @Put(':id')
    @ApiOperation({ summary: `Replace a ${noun} (every attribute not sent is cleared)` })
    @ApiBody({ schema: { type: 'object' } })
    @ApiResponse({ status: 200, description: `The ${noun}` })
    @ApiResponse({ status: 412, ...SCIM_ERROR })
    async replace(
      @ConnectorCtx() ctx: ConnectorContext,
      @Param('id') id: string,
      @Body() body: unknown,
      @Query() raw: Record<string, unknown>,
      @Headers('if-match') ifMatch: string | undefined,
      @Res() reply: FastifyReply,
    ) {
      const kind = ctx.kinds[type];
      const projection = projectionOf(parseProjectionQuery(raw));
      const rendered = await this.resources.replace(ctx, kind, id, body, ifMatch, needsOf(projection, true));
      sendResource(reply, 200, rendered, kind.schema, projection);
    }

    @Patch(':id')
    @ApiOperation({ summary: `Modify a ${noun} with a PatchOp request (RFC 7644 3.5.2)`, description: 'Answers 200 with the resource, or 204 for Entra ID connectors' })
    @ApiBody({ schema: { type: 'object', example: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] } } })
    @ApiResponse({ status: 200, description: `The ${noun}` })
    @ApiResponse({ status: 204, description: 'Applied (Entra ID connectors)' })
    async patch(
      @ConnectorCtx() ctx: ConnectorContext,
      @Param('id') id: string,
      @Body() body: unknown,
      @Query() raw: Record<string, unknown>,
      @Headers('if-match') ifMatch: string | undefined,
      @Res() reply: FastifyReply,
    ) {
      const kind = ctx.kinds[type];
      const projection = projectionOf(parseProjectionQuery(raw));
      const noContent = patchAnswersNoContent(ctx, raw);
      const rendered = await this.resources.patch(ctx, kind, id, body, ifMatch, noContent ? { members: false, groups: false } : needsOf(projection, true));
      if (noContent) void reply.status(204).header('etag', etag(rendered.version)).send();
      else sendResource(reply, 200, rendered, kind.schema, projection);
    }

    @Delete(':id')
    @ApiOperation({ summary: `Delete a ${noun}` })
    @ApiResponse({ status: 204, description: 'Deleted' })
    @ApiResponse({ status: 404, ...SCIM_ERROR })
    async delete(@ConnectorCtx() ctx: ConnectorContext, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res() reply: FastifyReply) {
      await this.resources.delete(ctx, ctx.kinds[type], id, ifMatch);
      void reply.status(204).send();
    }

    private async search(ctx: ConnectorContext, raw: Record<string, unknown>, reply: FastifyReply) {
      const kind = ctx.kinds[type];
      const query = parseListQuery(raw);
      const projection = projectionOf(query);
      const { total, resources } = await this.resources.list(ctx, kind, query, needsOf(projection));
      sendList(reply, resources.map((r) => projected(r, kind.schema, projection)), total, query.startIndex);
    }
  }
  Object.defineProperty(ResourceController, 'name', { value: `Scim${type}sController` });
  return ResourceController;
}

export const ScimUsersController = resourceController('User');
export const ScimGroupsController = resourceController('Group');
