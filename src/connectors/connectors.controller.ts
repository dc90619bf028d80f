import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { AdminContext, AdminCtx } from '../common/request-context';
import { ConnectorDto, ConnectorWithTokenDto, CreateConnectorDto, RotateTokenDto, UpdateConnectorDto } from './connector.dto';
import { ConnectorsService } from './connectors.service';

@ApiTags('connectors')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@Controller('api/v1/connectors')
@UseGuards(AdminGuard)
export class ConnectorsController {
  constructor(private readonly connectors: ConnectorsService) {}

  @Get()
  @ApiOperation({ summary: 'List connectors' })
  @ApiOkResponse({ type: ConnectorDto, isArray: true })
  async list(): Promise<ConnectorDto[]> {
    return (await this.connectors.list()).map((c) => ConnectorDto.from(c, this.connectors.publicUrl));
  }

  @Post()
  @ApiOperation({
    summary: 'Register an IdP connector',
    description: 'Answers with the SCIM base URL to give the IdP and its bearer token. The token is shown only here.',
  })
  @ApiCreatedResponse({ type: ConnectorWithTokenDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'A connector with that name exists' })
  async create(@AdminCtx() ctx: AdminContext, @Body() dto: CreateConnectorDto): Promise<ConnectorWithTokenDto> {
    const { connector, token } = await this.connectors.create(ctx, dto);
    return ConnectorWithTokenDto.withToken(connector, this.connectors.publicUrl, token);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a connector' })
  @ApiOkResponse({ type: ConnectorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectorDto> {
    return ConnectorDto.from(await this.connectors.get(id), this.connectors.publicUrl);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a connector' })
  @ApiOkResponse({ type: ConnectorDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  async update(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateConnectorDto): Promise<ConnectorDto> {
    return ConnectorDto.from(await this.connectors.update(ctx, id, dto), this.connectors.publicUrl);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a connector', description: 'Its token stops working at once.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  async delete(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.connectors.delete(ctx, id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a connector' })
  @ApiOkResponse({ type: ConnectorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  async enable(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<ConnectorDto> {
    return ConnectorDto.from(await this.connectors.setEnabled(ctx, id, true), this.connectors.publicUrl);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a connector', description: 'Its SCIM endpoint refuses requests until it is enabled again.' })
  @ApiOkResponse({ type: ConnectorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  async disable(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<ConnectorDto> {
    return ConnectorDto.from(await this.connectors.setEnabled(ctx, id, false), this.connectors.publicUrl);
  }

  @Post(':id/token')
  @ApiOperation({
    summary: 'Rotate the bearer token',
    description: 'Issues a new token (shown only in this response). With `overlapSeconds` the previous token keeps working that long.',
  })
  @ApiCreatedResponse({ type: ConnectorWithTokenDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  async rotateToken(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RotateTokenDto): Promise<ConnectorWithTokenDto> {
    const { connector, token } = await this.connectors.rotateToken(ctx, id, dto?.overlapSeconds ?? 0);
    return ConnectorWithTokenDto.withToken(connector, this.connectors.publicUrl, token);
  }
}
