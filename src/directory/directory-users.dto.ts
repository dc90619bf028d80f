import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../common/page-query';

export class ListDirectoryUsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive text found in the username, email or display name', example: 'lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Only active (true) or only disabled (false) users' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class UserSourceDto {
  @ApiProperty({ format: 'uuid' }) connectorId: string;
  @ApiProperty({ example: 'Okta production' }) connectorName: string;
  @ApiProperty({ description: 'The record at the connector: its SCIM user id (or LDAP DN)' }) sourceRef: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The mapping rule (index) behind each field, or "default"', example: { username: 0, email: 1 } })
  provenance: Record<string, unknown>;
  @ApiProperty() updatedAt: Date;
}

export class DirectoryUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) username: string;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) displayName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) firstName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastName: string | null;
  @ApiProperty() active: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) externalId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) title: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) department: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) manager: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) employeeNumber: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Custom attributes written by mappings', example: { costCenter: '4130' } })
  custom: Record<string, string>;
  @ApiProperty({ type: UserSourceDto, isArray: true, description: 'The connectors feeding this user, and the rule behind each field' })
  sources: UserSourceDto[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class DirectoryUserPageDto {
  @ApiProperty({ example: 1 }) total: number;
  @ApiProperty({ type: DirectoryUserDto, isArray: true }) users: DirectoryUserDto[];
}
