import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, UseGuards } from '@nestjs/common';
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
import {
  CreateDirectoryGroupDto,
  DirectoryGroupDetailDto,
  DirectoryGroupDto,
  DirectoryGroupPageDto,
  GroupMemberPageDto,
  ListDirectoryGroupsQuery,
  ListGroupMembersQuery,
  MembershipDto,
  UserGroupPageDto,
} from './directory-groups.dto';
import { DirectoryGroupsService } from './directory-groups.service';

@ApiTags('directories')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such directory, or no such group or user in it' })
@ApiBadRequestResponse({ type: ApiErrorDto, description: 'Invalid input; every offending field is named' })
@Controller('api/v1/directories/:id')
@UseGuards(AdminGuard)
export class DirectoryGroupsController {
  constructor(private readonly groups: DirectoryGroupsService) {}

  @Get('groups')
  @ApiOperation({ summary: 'Groups of a directory, with their member counts', description: 'Ordered by name, case-insensitively.' })
  @ApiOkResponse({ type: DirectoryGroupPageDto })
  list(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListDirectoryGroupsQuery): Promise<DirectoryGroupPageDto> {
    return this.groups.list(id, query);
  }

  @Post('groups')
  @ApiOperation({ summary: 'Create a group' })
  @ApiCreatedResponse({ type: DirectoryGroupDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'The directory has a group with that name (case-insensitively)' })
  create(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateDirectoryGroupDto): Promise<DirectoryGroupDto> {
    return this.groups.create(ctx, id, dto);
  }

  @Get('groups/:groupId')
  @ApiOperation({ summary: 'One group, with how many grants each source holds in it' })
  @ApiOkResponse({ type: DirectoryGroupDetailDto })
  get(@Param('id', ParseUUIDPipe) id: string, @Param('groupId') groupId: string): Promise<DirectoryGroupDetailDto> {
    return this.groups.get(id, groupId);
  }

  @Delete('groups/:groupId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a group and every membership in it, whatever their source',
    description: 'A connector that still grants the group may create it again at its next sync.',
  })
  @ApiNoContentResponse()
  async delete(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Param('groupId') groupId: string): Promise<void> {
    await this.groups.delete(ctx, id, groupId);
  }

  @Get('groups/:groupId/members')
  @ApiOperation({ summary: 'Members of a group, each with every grant that makes it one', description: 'Ordered by username, case-insensitively.' })
  @ApiOkResponse({ type: GroupMemberPageDto })
  members(@Param('id', ParseUUIDPipe) id: string, @Param('groupId') groupId: string, @Query() query: ListGroupMembersQuery): Promise<GroupMemberPageDto> {
    return this.groups.members(id, groupId, query);
  }

  @Put('groups/:groupId/members/:userId')
  @ApiOperation({
    summary: 'Grant the user membership as an admin',
    description: 'Idempotent: when the admin grant exists, nothing changes. The answer lists all of the user’s grants in the group.',
  })
  @ApiOkResponse({ type: MembershipDto })
  grant(
    @AdminCtx() ctx: AdminContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('groupId') groupId: string,
    @Param('userId') userId: string,
  ): Promise<MembershipDto> {
    return this.groups.grant(ctx, id, groupId, userId);
  }

  @Delete('groups/:groupId/members/:userId')
  @ApiOperation({
    summary: 'Remove the admin grant (only that one)',
    description:
      'Grants from connectors, default rules and LDAP stay, so the user may still be a member: the answer says so (`member`) and lists the grants that remain. 404 when the user has no admin grant in the group.',
  })
  @ApiOkResponse({ type: MembershipDto })
  revoke(
    @AdminCtx() ctx: AdminContext,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('groupId') groupId: string,
    @Param('userId') userId: string,
  ): Promise<MembershipDto> {
    return this.groups.revoke(ctx, id, groupId, userId);
  }

  @Get('users/:userId/groups')
  @ApiOperation({ summary: 'The groups a user is in, each with the user’s grants in it', description: 'Ordered by group name, case-insensitively.' })
  @ApiOkResponse({ type: UserGroupPageDto })
  userGroups(@Param('id', ParseUUIDPipe) id: string, @Param('userId') userId: string, @Query() query: ListDirectoryGroupsQuery): Promise<UserGroupPageDto> {
    return this.groups.userGroups(id, userId, query);
  }
}
