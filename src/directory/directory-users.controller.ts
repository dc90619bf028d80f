import { Controller, Get, Param, ParseUUIDPipe, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { DirectoryUserDto, DirectoryUserPageDto, ListDirectoryUsersQuery } from './directory-users.dto';
import { DirectoryUsersService } from './directory-users.service';

@ApiTags('directories')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such directory or user' })
@Controller('api/v1/directories/:id/users')
@UseGuards(AdminGuard)
export class DirectoryUsersController {
  constructor(private readonly users: DirectoryUsersService) {}

  @Get()
  @ApiOperation({ summary: 'Users of a directory, with the connectors feeding each and the rule behind each field', description: 'Ordered by username.' })
  @ApiOkResponse({ type: DirectoryUserPageDto })
  list(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListDirectoryUsersQuery): Promise<DirectoryUserPageDto> {
    return this.users.list(id, query);
  }

  @Get(':userId')
  @ApiOperation({ summary: 'One directory user' })
  @ApiOkResponse({ type: DirectoryUserDto })
  get(@Param('id', ParseUUIDPipe) id: string, @Param('userId') userId: string): Promise<DirectoryUserDto> {
    return this.users.get(id, userId);
  }
}
