import { Body, Controller, Get, HttpCode, ParseBoolPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { AdminContext, AdminCtx } from '../common/request-context';
import { ConfigDocument } from './config-document';
import { ConfigBackupService, ImportReport } from './config-backup.service';

@ApiTags('configuration backup')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@Controller('api/v1/config')
@UseGuards(AdminGuard)
export class ConfigBackupController {
  constructor(private readonly backup: ConfigBackupService) {}

  @Get('export')
  @ApiOperation({
    summary: 'Export the whole configuration as one JSON document',
    description: 'Directories and connectors with their settings, group settings, attribute mappings and token hashes (never tokens). No users, groups or memberships.',
  })
  @ApiOkResponse({ description: 'The backup document (format "roster-configuration", version 1)' })
  export(@AdminCtx() ctx: AdminContext): Promise<ConfigDocument> {
    return this.backup.export(ctx);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Restore a configuration backup',
    description:
      'Checked in full, then applied in one transaction: what the backup has and this instance lacks is created (connectors with their backed-up token hash, so IdPs keep working), what differs is updated (existing connectors keep their current token), nothing else is touched. With dryRun=true nothing is written.',
  })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiBody({ schema: { type: 'object', description: 'A document from GET /api/v1/config/export' } })
  @ApiOkResponse({ description: 'What was (or would be) created, updated or left unchanged, and the background jobs started' })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'The document is not valid; every problem is named' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'A name in the backup belongs to another directory or connector here' })
  import(@AdminCtx() ctx: AdminContext, @Body() body: unknown, @Query('dryRun', new ParseBoolPipe({ optional: true })) dryRun?: boolean): Promise<ImportReport> {
    return this.backup.import(ctx, body, dryRun ?? false);
  }
}
