// A scim1 connector's endpoint (/scim/v1/{connectorId}): SCIM 1.1 on the wire, the SCIM 2.0 service
// underneath. Each request is translated to its 2.0 equivalent (libs/scim-core compat/scim1) and each
// answer back, so 1.1 IdPs get the same storage, projection, group sync, audit and concurrency
// guarantees as 2.0 ones. Served: Users and Groups (list and filter, create, read, replace, PATCH,
// delete, ETags), /ServiceProviderConfigs and /Schemas. Not in 1.1's Roster: Bulk (advertised as
// unsupported), /.search and /ResourceTypes (2.0 only).
import { Body, Controller, Delete, Get, Headers, Param, Patch, Post, Put, Query, Res, Type, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { scim1ListResponse, scim1ParameterToV2, scim1PatchToV2, scim1ResourceToV2, scim1SchemaDocument, SCIM1_CORE_SCHEMA, scim2ResourceToV1, ScimError } from '@roster/scim-core';
import { FastifyReply } from 'fastify';
import { ConnectorContext, ConnectorCtx } from './connector-context';
import { serviceProviderConfigV1 } from './discovery';
import { etag, notModified } from './etag';
import { ResourceKind } from './resource-kinds';
import { ScimAuthGuard } from './scim-auth.guard';
import { ScimExceptionFilter } from './scim-exception.filter';
import { needsOf, Projection, projected, projectionOf } from './scim-http';
import { ListQuery, parseListQuery, parseProjectionQuery } from './scim-query';
import { Rendered, ScimResourcesService } from './scim-resources.service';
import { SCIM1_CONTENT_TYPE } from './scim-version';

const SCIM1_ERROR = { description: 'SCIM 1.1 error: {"Errors": [{"description", "code"}]}' };

/** `attributes` / `excludedAttributes` of a 1.1 request, with 2.0 attribute names. */
function projectionV1(raw: Record<string, unknown>): Projection {
  const query = parseProjectionQuery(raw);
  return projectionOf({
    attributes: query.attributes && scim1ParameterToV2(query.attributes),
    excludedAttributes: query.excludedAttributes && scim1ParameterToV2(query.excludedAttributes),
  });
}

function listQueryV1(raw: Record<string, unknown>): ListQuery {
  const query = parseListQuery(raw);
  const v2 = (text: string | undefined) => text && scim1ParameterToV2(text);
  return { ...query, filter: v2(query.filter), sortBy: v2(query.sortBy), attributes: v2(query.attributes), excludedAttributes: v2(query.excludedAttributes) };
}

function sendResourceV1(reply: FastifyReply, status: number, rendered: Rendered, kind: ResourceKind, projection: Projection): void {
  void reply
    .status(status)
    .type(SCIM1_CONTENT_TYPE)
    .header('etag', etag(rendered.version))
    .header('location', rendered.location)
    .send(scim2ResourceToV1(projected(rendered, kind.schema, projection)));
}

function resourceControllerV1(type: 'User' | 'Group'): Type<unknown> {
  const noun = type.toLowerCase();

  @ApiTags(`SCIM 1.1 ${type}s`)
  @ApiBearerAuth('scim')
  @ApiParam({ name: 'connectorId', description: 'The scim1 connector whose SCIM 1.1 endpoint this is' })
  @ApiProduces('application/json')
  @ApiResponse({ status: 401, ...SCIM1_ERROR })
  @Controller(`scim/v1/:connectorId/${type}s`)
  @UseGuards(ScimAuthGuard)
  @UseFilters(ScimExceptionFilter)
  class ResourceControllerV1 {
    constructor(readonly resources: ScimResourcesService) {}

    @Get()
    @ApiOperation({ summary: `List or filter ${noun}s (SCIM 1.1)`, description: 'filter, sortBy, sortOrder, startIndex, count, attributes' })
    @ApiResponse({ status: 200, description: 'A SCIM 1.1 list response' })
    async list(@ConnectorCtx() ctx: ConnectorContext, @Query() raw: Record<string, unknown>, @Res() reply: FastifyReply) {
      const kind = ctx.kinds[type];
      const query = listQueryV1(raw);
      const projection = projectionOf(query);
      const { total, resources } = await this.resources.list(ctx, kind, query, needsOf(projection));
      const page = resources.map((r) => scim2ResourceToV1(projected(r, kind.schema, projection)));
      void reply.status(200).type(SCIM1_CONTENT_TYPE).send(scim1ListResponse(page, total, query.startIndex));
    }

    @Post()
    @ApiOperation({ summary: `Create a ${noun} (SCIM 1.1)` })
    @ApiBody({ schema: { type: 'object', example: { schemas: [SCIM1_CORE_SCHEMA], userName: 'bjensen@example.com' } } })
    @ApiResponse({ status: 201, description: `The ${noun} as stored, with ETag and Location headers` })
    @ApiResponse({ status: 409, ...SCIM1_ERROR })
    async create(@ConnectorCtx() ctx: ConnectorContext, @Body() body: unknown, @Query() raw: Record<string, unknown>, @Res() reply: FastifyReply) {
      const kind = ctx.kinds[type];
      const projection = projectionV1(raw);
      const rendered = await this.resources.create(ctx, kind, scim1ResourceToV2(body, type), needsOf(projection, true));
      sendResourceV1(reply, 201, rendered, kind, projection);
    }

    @Get(':id')
    @ApiOperation({ summary: `Read a ${noun} (SCIM 1.1)` })
    @ApiResponse({ status: 200, description: `The ${noun}` })
    @ApiResponse({ status: 404, ...SCIM1_ERROR })
    async get(
      @ConnectorCtx() ctx: ConnectorContext,
      @Param('id') id: string,
      @Query() raw: Record<string, unknown>,
      @Headers('if-none-match') ifNoneMatch: string | undefined,
      @Res() reply: FastifyReply,
    ) {
      const kind = ctx.kinds[type];
      const projection = projectionV1(raw);
      const rendered = await this.resources.get(ctx, kind, id, needsOf(projection));
      if (notModified(ifNoneMatch, rendered.version)) {
        void reply.status(304).header('etag', etag(rendered.version)).send();
        return;
      }
      sendResourceV1(reply, 200, rendered, kind, projection);
    }

    @Put(':id')
    @ApiOperation({ summary: `Replace a ${noun} (SCIM 1.1; every attribute not sent is cleared)` })
    @ApiBody({ schema: { type: 'object' } })
    @ApiResponse({ status: 200, description: `The ${noun}` })
    async replace(
      @ConnectorCtx() ctx: ConnectorContext,
      @Param('id') id: string,
      @Body() body: unknown,
      @Query() raw: Record<string, unknown>,
      @Headers('if-match') ifMatch: string | undefined,
      @Res() reply: FastifyReply,
    ) {
      const kind = ctx.kinds[type];
      const projection = projectionV1(raw);
      const rendered = await this.resources.replace(ctx, kind, id, scim1ResourceToV2(body, type), ifMatch, needsOf(projection, true));
      sendResourceV1(reply, 200, rendered, kind, projection);
    }

    @Patch(':id')
    @ApiOperation({
      summary: `Modify a ${noun} with a SCIM 1.1 partial resource`,
      description: 'meta.attributes lists attributes to remove; multi-valued values marked "operation": "delete" are removed, others added; singular attributes are replaced',
    })
    @ApiBody({ schema: { type: 'object', example: { schemas: [SCIM1_CORE_SCHEMA], members: [{ value: '<user id>' }, { value: '<user id>', operation: 'delete' }] } } })
    @ApiResponse({ status: 200, description: `The ${noun}` })
    async patch(
      @ConnectorCtx() ctx: ConnectorContext,
      @Param('id') id: string,
      @Body() body: unknown,
      @Query() raw: Record<string, unknown>,
      @Headers('if-match') ifMatch: string | undefined,
      @Res() reply: FastifyReply,
    ) {
      const kind = ctx.kinds[type];
      const projection = projectionV1(raw);
      const rendered = await this.resources.patch(ctx, kind, id, scim1PatchToV2(body, type), ifMatch, needsOf(projection, true));
      sendResourceV1(reply, 200, rendered, kind, projection);
    }

    @Delete(':id')
    @ApiOperation({ summary: `Delete a ${noun} (SCIM 1.1 answers 200)` })
    @ApiResponse({ status: 200, description: 'Deleted' })
    @ApiResponse({ status: 404, ...SCIM1_ERROR })
    async delete(@ConnectorCtx() ctx: ConnectorContext, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res() reply: FastifyReply) {
      await this.resources.delete(ctx, ctx.kinds[type], id, ifMatch);
      void reply.status(200).send();
    }
  }
  Object.defineProperty(ResourceControllerV1, 'name', { value: `Scim1${type}sController` });
  return ResourceControllerV1;
}

export const Scim1UsersController = resourceControllerV1('User');
export const Scim1GroupsController = resourceControllerV1('Group');

/** The 1.1 discovery documents. */
@ApiTags('SCIM 1.1 discovery')
@ApiBearerAuth('scim')
@ApiParam({ name: 'connectorId', description: 'The scim1 connector whose SCIM 1.1 endpoint this is' })
@ApiProduces('application/json')
@Controller('scim/v1/:connectorId')
@UseGuards(ScimAuthGuard)
@UseFilters(ScimExceptionFilter)
export class Scim1RootController {
  @Get('ServiceProviderConfigs')
  @ApiOperation({ summary: 'What this SCIM 1.1 endpoint supports (also at /ServiceProviderConfig)' })
  serviceProviderConfigs(@ConnectorCtx() ctx: ConnectorContext, @Res() reply: FastifyReply) {
    void reply.status(200).type(SCIM1_CONTENT_TYPE).send(serviceProviderConfigV1(ctx.baseUrl));
  }

  @Get('ServiceProviderConfig')
  @ApiOperation({ summary: 'Alias of /ServiceProviderConfigs' })
  serviceProviderConfig(@ConnectorCtx() ctx: ConnectorContext, @Res() reply: FastifyReply) {
    this.serviceProviderConfigs(ctx, reply);
  }

  @Get('Schemas')
  @ApiOperation({ summary: 'The User and Group schemas, SCIM 1.1 style' })
  schemas(@ConnectorCtx() ctx: ConnectorContext, @Res() reply: FastifyReply) {
    const docs = ctx.kinds.all.map((kind) => schemaOf(ctx, kind));
    void reply.status(200).type(SCIM1_CONTENT_TYPE).send(scim1ListResponse(docs, docs.length, 1));
  }

  @Get('Schemas/:name')
  @ApiOperation({ summary: 'One resource schema: Users or Groups' })
  schema(@ConnectorCtx() ctx: ConnectorContext, @Param('name') name: string, @Res() reply: FastifyReply) {
    const kind = ctx.kinds.all.find((k) => [k.type, `${k.type}s`].some((n) => n.toLowerCase() === name.toLowerCase()));
    if (!kind) throw new ScimError(404, undefined, `Schema ${name} not found: there are Users and Groups`);
    void reply.status(200).type(SCIM1_CONTENT_TYPE).send(schemaOf(ctx, kind));
  }
}

function schemaOf(ctx: ConnectorContext, kind: ResourceKind) {
  const def = kind.schema.resourceType;
  const byId = (id: string) => ctx.kinds.schemas.find((s) => s.id === id)!;
  return scim1SchemaDocument({ name: def.name, endpoint: def.endpoint, description: def.description }, byId(def.schema), def.schemaExtensions.map((e) => byId(e.schema)));
}
