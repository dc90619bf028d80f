import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { AdminContext, AdminCtx } from '../common/request-context';
import { ConnectorMappingDto, DryRunDto, MAPPING_EXAMPLE, MappingPreviewDto, MappingPreviewRequestDto, ProjectionJobDto } from './mapping.dto';
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
  @ApiOperation({
    summary: 'Replace the mapping, and re-project the connector’s stored users with it in the background',
    description: 'Validated as a whole; a refusal names each rule and field (`rules[1].transform[0].replace.pattern`). The answer carries the re-projection job.',
  })
  @ApiBody({ schema: { type: 'object', example: MAPPING_EXAMPLE } })
  @ApiOkResponse({ type: ConnectorMappingDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  async replace(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<ConnectorMappingDto> {
    return ConnectorMappingDto.from(await this.mappings.replace(ctx, id, body));
  }

  @Delete()
  @ApiOperation({ summary: 'Return to the IdP preset’s default mapping (re-projecting in the background)' })
  @ApiOkResponse({ type: ConnectorMappingDto })
  async reset(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<ConnectorMappingDto> {
    return ConnectorMappingDto.from(await this.mappings.reset(ctx, id));
  }

  @Post('dry-run')
  @HttpCode(200)
  @ApiOperation({ summary: 'What replacing the mapping with the body would do to the directory, user by user; nothing is written' })
  @ApiBody({ schema: { type: 'object', example: MAPPING_EXAMPLE } })
  @ApiOkResponse({ type: DryRunDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  async dryRun(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<DryRunDto> {
    return this.mappings.dryRun(id, body);
  }

  @Get('jobs')
  @ApiOperation({ summary: 'The latest re-projection jobs, newest first' })
  @ApiOkResponse({ type: ProjectionJobDto, isArray: true })
  jobs(@Param('id', ParseUUIDPipe) id: string): Promise<ProjectionJobDto[]> {
    return this.mappings.jobs(id);
  }

  @Get('jobs/:jobId')
  @ApiOperation({ summary: 'One re-projection job and its progress' })
  @ApiOkResponse({ type: ProjectionJobDto })
  job(@Param('id', ParseUUIDPipe) id: string, @Param('jobId') jobId: string): Promise<ProjectionJobDto> {
    return this.mappings.job(id, jobId);
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
