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
import { DirectoriesService } from './directories.service';
import { CreateDirectoryDto, DirectoryDto, UpdateDirectoryDto } from './directory.dto';

@ApiTags('directories')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@Controller('api/v1/directories')
@UseGuards(AdminGuard)
export class DirectoriesController {
  constructor(private readonly directories: DirectoriesService) {}

  @Get()
  @ApiOperation({ summary: 'List directories' })
  @ApiOkResponse({ type: DirectoryDto, isArray: true })
  async list(): Promise<DirectoryDto[]> {
    return (await this.directories.list()).map((d) => DirectoryDto.from(d));
  }

  @Post()
  @ApiOperation({ summary: 'Create a directory' })
  @ApiCreatedResponse({ type: DirectoryDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'A directory with that name exists' })
  async create(@AdminCtx() ctx: AdminContext, @Body() dto: CreateDirectoryDto): Promise<DirectoryDto> {
    return DirectoryDto.from(await this.directories.create(ctx, dto));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a directory' })
  @ApiOkResponse({ type: DirectoryDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<DirectoryDto> {
    return DirectoryDto.from(await this.directories.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a directory, change its description, or make it the default' })
  @ApiOkResponse({ type: DirectoryDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  async update(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDirectoryDto): Promise<DirectoryDto> {
    return DirectoryDto.from(await this.directories.update(ctx, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a directory', description: 'Refused (409) for the last directory, the default one, and one that connectors target.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto })
  async delete(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.directories.delete(ctx, id);
  }
}
