import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { AdminContext, AdminCtx } from '../common/request-context';
import { ProjectionJobDto } from '../mapping/mapping.dto';
import { ConnectorGroupSettingsDto, GROUP_SETTINGS_EXAMPLE, GroupSettingsDryRunDto, HoldDto, MembershipWhyDto } from './group-sync.dto';
import { GroupSettingsService } from './group-settings.service';
import { HoldsService } from './holds.service';
import { WhyService } from './why.service';

@ApiTags('group sync')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such connector' })
@Controller('api/v1/connectors/:id')
@UseGuards(AdminGuard)
export class GroupSyncController {
  constructor(
    private readonly settings: GroupSettingsService,
    private readonly holds: HoldsService,
  ) {}

  @Get('group-settings')
  @ApiOperation({ summary: 'The connector’s group sync strategy, filters, default groups, lifecycle and brake settings' })
  @ApiOkResponse({ type: ConnectorGroupSettingsDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ConnectorGroupSettingsDto> {
    return this.settings.get(id) as Promise<ConnectorGroupSettingsDto>;
  }

  @Put('group-settings')
  @ApiOperation({
    summary: 'Replace the group settings, and re-evaluate every stored user with them in the background',
    description: 'Absent keys take their defaults; unknown keys are refused. A refusal names each setting (`manual.mappings[0].pattern`). The answer carries the job.',
  })
  @ApiBody({ schema: { type: 'object', example: GROUP_SETTINGS_EXAMPLE } })
  @ApiOkResponse({ type: ConnectorGroupSettingsDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  replace(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<ConnectorGroupSettingsDto> {
    return this.settings.replace(ctx, id, body) as Promise<ConnectorGroupSettingsDto>;
  }

  @Delete('group-settings')
  @ApiOperation({ summary: 'Back to the default group settings (re-evaluating in the background)' })
  @ApiOkResponse({ type: ConnectorGroupSettingsDto })
  reset(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<ConnectorGroupSettingsDto> {
    return this.settings.reset(ctx, id) as Promise<ConnectorGroupSettingsDto>;
  }

  @Post('group-settings/dry-run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Which memberships and users replacing the settings with the body would touch; nothing is written' })
  @ApiBody({ schema: { type: 'object', example: GROUP_SETTINGS_EXAMPLE } })
  @ApiOkResponse({ type: GroupSettingsDryRunDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  dryRun(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<GroupSettingsDryRunDto> {
    return this.settings.dryRun(id, body);
  }

  @Get('group-settings/jobs')
  @ApiOperation({ summary: 'The latest re-evaluation jobs, newest first' })
  @ApiOkResponse({ type: ProjectionJobDto, isArray: true })
  jobs(@Param('id', ParseUUIDPipe) id: string): Promise<ProjectionJobDto[]> {
    return this.settings.jobs(id);
  }

  @Get('group-settings/jobs/:jobId')
  @ApiOperation({ summary: 'One re-evaluation job and its progress' })
  @ApiOkResponse({ type: ProjectionJobDto })
  job(@Param('id', ParseUUIDPipe) id: string, @Param('jobId') jobId: string): Promise<ProjectionJobDto> {
    return this.settings.job(id, jobId);
  }

  @Get('holds')
  @ApiOperation({ summary: 'Deprovisions the mass-deprovisioning brake held, newest first' })
  @ApiOkResponse({ type: HoldDto, isArray: true })
  listHolds(@Param('id', ParseUUIDPipe) id: string): Promise<HoldDto[]> {
    return this.holds.list(id);
  }

  @Get('holds/:holdId')
  @ApiOperation({ summary: 'One hold, with every deprovision it holds' })
  @ApiOkResponse({ type: HoldDto })
  getHold(@Param('id', ParseUUIDPipe) id: string, @Param('holdId') holdId: string): Promise<HoldDto> {
    return this.holds.get(id, holdId);
  }

  @Post('holds/:holdId/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Apply the held deprovisions (as the lifecycle settings say now; users reactivated meanwhile are left alone)' })
  @ApiOkResponse({ type: HoldDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'The hold was already decided' })
  approve(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Param('holdId') holdId: string): Promise<HoldDto> {
    return this.holds.approve(ctx, id, holdId);
  }

  @Post('holds/:holdId/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Drop the held deprovisions: the directory users stay as they are' })
  @ApiOkResponse({ type: HoldDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'The hold was already decided' })
  discard(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Param('holdId') holdId: string): Promise<HoldDto> {
    return this.holds.discard(ctx, id, holdId);
  }
}

@ApiTags('directories')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such directory, user or group' })
@Controller('api/v1/directories/:id/users/:userId/groups/:groupId/why')
@UseGuards(AdminGuard)
export class MembershipWhyController {
  constructor(private readonly why: WhyService) {}

  @Get()
  @ApiOperation({ summary: 'Why a user is in a group: every grant, the rule behind it today, and whether it lasts' })
  @ApiOkResponse({ type: MembershipWhyDto })
  explain(@Param('id', ParseUUIDPipe) id: string, @Param('userId') userId: string, @Param('groupId') groupId: string): Promise<MembershipWhyDto> {
    return this.why.explain(id, userId, groupId) as Promise<MembershipWhyDto>;
  }
}
