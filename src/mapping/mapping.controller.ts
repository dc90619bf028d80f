import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { AdminContext, AdminCtx } from '../common/request-context';
import { ConnectorMappingDto, MAPPING_EXAMPLE, MappingPreviewDto, MappingPreviewRequestDto } from './mapping.dto';
import { MappingService } from './mapping.service';

@ApiTags('mapping')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such connector' })
@Controller('api/v1/connectors/:id/mapping')
@UseGuards(AdminGuard)
export class MappingController {
  constructor(private readonly mappings: MappingService) {}

  @Get()
  @ApiOperation({ summary: 'The connector’s attribute mapping (its IdP preset’s default until replaced)' })
  @ApiOkResponse({ type: ConnectorMappingDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectorMappingDto> {
    return ConnectorMappingDto.from(await this.mappings.get(id));
  }

  @Put()
  @ApiOperation({ summary: 'Replace the mapping', description: 'Validated as a whole; a refusal names each rule and field (`rules[1].transform[0].replace.pattern`).' })
  @ApiBody({ schema: { type: 'object', example: MAPPING_EXAMPLE } })
  @ApiOkResponse({ type: ConnectorMappingDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  async replace(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<ConnectorMappingDto> {
    return ConnectorMappingDto.from(await this.mappings.replace(ctx, id, body));
  }

  @Delete()
  @ApiOperation({ summary: 'Return to the IdP preset’s default mapping' })
  @ApiOkResponse({ type: ConnectorMappingDto })
  async reset(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<ConnectorMappingDto> {
    return ConnectorMappingDto.from(await this.mappings.reset(ctx, id));
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Map a sample record without writing anything', description: 'Uses the saved mapping, or `mapping` from the body to try a draft.' })
  @ApiOkResponse({ type: MappingPreviewDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  async preview(@Param('id', ParseUUIDPipe) id: string, @Body() body: MappingPreviewRequestDto): Promise<MappingPreviewDto> {
    return (await this.mappings.preview(id, body.record, body.mapping)) as MappingPreviewDto;
  }
}
