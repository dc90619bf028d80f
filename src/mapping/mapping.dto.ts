import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
import { MAPPING_PRESETS, Mapping, MappingPreset } from '@roster/mapping-core';
import { ConnectorMapping } from './mapping.service';

export const MAPPING_EXAMPLE = {
  kind: 'scim',
  rules: [
    { target: 'username', source: { scim: 'userName' } },
    { target: 'email', source: { firstOf: [{ scim: 'emails[type eq "work"].value' }, { scim: 'emails.value' }] }, transform: ['trim', 'lowercase'] },
    { target: 'department', source: { scim: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department' } },
    { target: 'custom:costCenter', source: { scim: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter' }, onEmpty: 'keep' },
    { drop: { when: { source: { scim: 'userType' }, equals: 'Contractor' } } },
  ],
};

export class ProjectionJobDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectorId: string;
  @ApiProperty({ enum: ['mapping', 'groups'], description: '`mapping`: re-projects users after a mapping change; `groups`: re-plans memberships after a group-settings change' })
  kind: string;
  @ApiProperty({ enum: ['running', 'done', 'failed', 'superseded'], description: '`superseded`: a newer change started its own job' })
  status: string;
  @ApiProperty({ description: 'Stored users of the connector when the job started', example: 20000 }) total: number;
  @ApiProperty({ example: 12500 }) processed: number;
  @ApiPropertyOptional({ nullable: true, type: String }) error: string | null;
  @ApiProperty() startedAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) finishedAt: Date | null;
}

export class DryRunDto {
  @ApiProperty({ description: 'Stored users of the connector', example: 3 }) total: number;
  @ApiProperty({ example: 1 }) unchanged: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { create: 0, update: 1, disable: 1, skip: 0 } })
  counts: Record<string, number>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'The first 100 changes: {scimUserId, userName, directoryUserId, action, fields: {field: {from, to}}, reason}',
    example: [{ scimUserId: '5d0b…', userName: 'ada@example.com', directoryUserId: '9a1c…', action: 'update', fields: { title: { from: null, to: 'Engineer' } } }],
  })
  changes: object[];
}

export class ConnectorMappingDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: MAPPING_EXAMPLE, description: 'The rule format is documented in docs/mapping.md.' })
  mapping: Mapping;
  @ApiProperty({ enum: ['preset', 'custom'], description: '`preset`: the IdP preset’s default applies; `custom`: replaced by an admin.' })
  origin: 'preset' | 'custom';
  @ApiProperty({ enum: MAPPING_PRESETS, example: 'okta' })
  preset: MappingPreset;
  @ApiPropertyOptional({ nullable: true, type: Date })
  updatedAt: Date | null;
  @ApiPropertyOptional({ type: ProjectionJobDto, description: 'After a change: the background re-projection it started (follow it at .../mapping/jobs/{jobId})' })
  reprojection?: ProjectionJobDto;

  static from(m: ConnectorMapping): ConnectorMappingDto {
    return Object.assign(new ConnectorMappingDto(), m);
  }
}

export class MappingPreviewRequestDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A sample record: a SCIM User resource (scim mappings) or an LDAP entry of attribute → value(s) (ldap mappings).',
    example: { userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, emails: [{ type: 'work', value: 'Ada@Example.com' }] },
  })
  @IsObject()
  record: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'A mapping to try instead of the saved one (nothing is saved).' })
  @IsOptional()
  @IsObject()
  mapping?: Record<string, unknown>;
}

export class MappingPreviewDto {
  @ApiProperty({ enum: ['mapped', 'dropped', 'skipped'] }) outcome: 'mapped' | 'dropped' | 'skipped';
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'For `mapped`: fields, custom attributes, and provenance (the index of the rule that produced each field, or "default"/"kept").',
    example: { fields: { username: 'ada@example.com', email: 'ada@example.com', active: true }, custom: {}, provenance: { username: 0, email: 1, active: 6 } },
  })
  user?: object;
  @ApiPropertyOptional({ description: 'For `dropped` / `skipped`: the rule that decided.' }) rule?: number;
  @ApiPropertyOptional({ example: 'rules[4] (drop): userType equals "Contractor"' }) reason?: string;
}
