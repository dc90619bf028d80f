import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/page-query';

export class ListDirectoryGroupsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive text found in the group name', example: 'eng' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ListGroupMembersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive text found in the username or email', example: 'lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class CreateDirectoryGroupDto {
  @ApiProperty({ example: 'Engineering', maxLength: 200, description: 'Unique in the directory, case-insensitively' })
  @IsString()
  @IsNotEmpty()
  @Matches(/\S/, { message: 'displayName must not be blank' })
  @MaxLength(200)
  displayName: string;

  @ApiPropertyOptional({ example: 'Everyone who ships code', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: 'eng-001', maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalId?: string;
}

export type GrantKind = 'connector' | 'default' | 'ldap' | 'admin';
const GRANT_KINDS: GrantKind[] = ['connector', 'default', 'ldap', 'admin'];

export class GrantDto {
  @ApiProperty({
    enum: GRANT_KINDS,
    description:
      '`connector`: an IdP group of a SCIM connector; `default`: a connector’s default-groups rule; `ldap`: an LDAP group; `admin`: granted through this API',
  })
  kind: GrantKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null for admin grants' }) connectorId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'Okta production', description: 'null for admin grants and removed connectors' })
  connectorName: string | null;
  @ApiPropertyOptional({ example: 'Engineering', description: 'kind `connector`: the IdP group’s displayName' }) idpGroup?: string;
  @ApiPropertyOptional({ enum: ['newUsers', 'allUsers'], description: 'kind `default`: the rule' }) rule?: string;
  @ApiPropertyOptional({ example: 'cn=engineering,ou=groups,dc=example,dc=com', description: 'kind `ldap`: the LDAP group' }) ldapGroup?: string;
  @ApiProperty() grantedAt: Date;
}

class GroupFieldsDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Engineering' }) displayName: string;
  @ApiPropertyOptional({ nullable: true, type: String }) externalId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) description: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class DirectoryGroupDto extends GroupFieldsDto {
  @ApiProperty({ example: 12, description: 'Distinct users with at least one grant' }) memberCount: number;
}

export class GrantSourceCountDto {
  @ApiProperty({ enum: GRANT_KINDS }) kind: GrantKind;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) connectorId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null for admin grants and removed connectors' }) connectorName: string | null;
  @ApiProperty({ example: 12, description: 'Grants from this source (one user may hold several, e.g. through two IdP groups)' }) grants: number;
}

export class DirectoryGroupDetailDto extends DirectoryGroupDto {
  @ApiProperty({ type: GrantSourceCountDto, isArray: true, description: 'How many grants each source holds in this group' })
  grantedBy: GrantSourceCountDto[];
}

export class DirectoryGroupPageDto {
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ type: DirectoryGroupDto, isArray: true }) groups: DirectoryGroupDto[];
}

export class GroupMemberDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'ada@example.com' }) username: string;
  @ApiPropertyOptional({ nullable: true, type: String }) displayName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: GrantDto, isArray: true, description: 'Every grant that makes the user a member, oldest first' }) grants: GrantDto[];
}

export class GroupMemberPageDto {
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ type: GroupMemberDto, isArray: true }) members: GroupMemberDto[];
}

export class UserGroupDto extends GroupFieldsDto {
  @ApiProperty({ type: GrantDto, isArray: true, description: 'The user’s grants in this group, oldest first' }) grants: GrantDto[];
}

export class UserGroupPageDto {
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ type: UserGroupDto, isArray: true }) groups: UserGroupDto[];
}

export class MembershipDto {
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ description: 'Whether the user is still a member: true while any grant remains, whatever its source' }) member: boolean;
  @ApiProperty({ type: GrantDto, isArray: true, description: 'The grants that remain, oldest first' }) grants: GrantDto[];
}
