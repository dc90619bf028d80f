import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AdminGuard } from '../admin-auth/admin.guard';
import { ApiErrorDto } from '../common/api-error.dto';
import { AdminContext, AdminCtx } from '../common/request-context';
import { LdapSettingsView } from './ldap-settings';
import { LdapService, LdapSyncSummary, LdapTestResult } from './ldap.service';

const SETTINGS_EXAMPLE = {
  url: 'ldaps://ldap.example.com',
  bindDn: 'cn=roster,ou=services,dc=example,dc=com',
  bindPassword: '…',
  baseDn: 'ou=people,dc=example,dc=com',
  userFilter: '(objectClass=inetOrgPerson)',
  usernameAttribute: 'uid',
  idAttribute: 'entryUUID',
  timeoutSeconds: 10,
  tlsVerify: true,
};

@ApiTags('ldap')
@ApiBearerAuth('admin')
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'Missing or wrong admin token' })
@ApiNotFoundResponse({ type: ApiErrorDto, description: 'No such connector' })
@Controller('api/v1/connectors/:id/ldap')
@UseGuards(AdminGuard)
export class LdapController {
  constructor(private readonly ldap: LdapService) {}

  @Get()
  @ApiOperation({ summary: 'An LDAP connector’s server settings (never the bind password; `bindPasswordSet` says whether one is stored), or null' })
  @ApiOkResponse({ schema: { type: 'object', nullable: true } })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<LdapSettingsView | null> {
    return this.ldap.get(id);
  }

  @Put()
  @ApiOperation({
    summary: 'Set an LDAP connector’s server, bind and search settings',
    description: 'Validated as a whole (400 naming each field). `bindPassword` may be left out to keep the stored one; it is never shown again.',
  })
  @ApiBody({ schema: { type: 'object', example: SETTINGS_EXAMPLE } })
  @ApiOkResponse({ description: 'The settings as stored, without the password' })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  replace(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string, @Body() body: unknown): Promise<LdapSettingsView> {
    return this.ldap.replace(ctx, id, body);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test search for one user',
    description: 'Binds with the stored settings, finds the user whose usernameAttribute equals `username` under baseDn and userFilter, and answers the entry with what the connector’s mapping makes of it. Writes nothing.',
  })
  @ApiBody({ schema: { type: 'object', example: { username: 'ada' } } })
  @ApiOkResponse({ description: '{ entry, id, mapped }' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'No entry matches (or no such connector)' })
  @ApiBadGatewayResponse({ type: ApiErrorDto, description: 'The LDAP server could not be reached, or refused the bind' })
  test(@Param('id', ParseUUIDPipe) id: string, @Body() body: { username?: unknown } | undefined): Promise<LdapTestResult> {
    return this.ldap.test(id, body?.username);
  }

  @Post('sync')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pull every user from the LDAP server now (a full sync)',
    description:
      'New entries become directory users through the connector’s mapping, changed ones are updated, and users whose entry is gone are removed as a SCIM DELETE removes them (onDelete, the brake). Answers when done, with the counts. 409 while another sync of the connector runs; 502 when the server cannot be reached (then nothing changes).',
  })
  @ApiOkResponse({ description: '{ entries, created, updated, unchanged, removed, skipped, skippedCount }' })
  @ApiBadGatewayResponse({ type: ApiErrorDto, description: 'The LDAP server could not be reached, or refused the bind' })
  sync(@AdminCtx() ctx: AdminContext, @Param('id', ParseUUIDPipe) id: string): Promise<LdapSyncSummary> {
    return this.ldap.sync(ctx, id);
  }
}
