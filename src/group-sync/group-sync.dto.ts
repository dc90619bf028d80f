import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProjectionJobDto } from '../mapping/mapping.dto';

/** An example body for PUT .../group-settings (every key optional; absent keys take their defaults). */
export const GROUP_SETTINGS_EXAMPLE = {
  strategy: 'manual',
  manual: { mappings: [{ name: 'Okta-Engineering', groups: ['engineering', 'confluence-users'] }, { pattern: '^jira-', groups: ['jira-users'] }], importEmptyMappedGroups: false },
  onlyAssign: [],
  neverAssign: [{ pattern: '^admins?$' }],
  defaultGroups: { newUsers: ['onboarding'], allUsers: ['everyone'] },
  neverRemove: ['legal-hold'],
  keepExistingMemberships: false,
  requiredGroups: [],
  lifecycle: { onDeactivate: 'disable', onDelete: 'disable', onOutOfScope: 'disable', onDropped: 'disable', stripMemberships: false },
  brake: { enabled: true, maxShare: 0.1, windowSeconds: 300, minUsers: 20 },
};

export class ConnectorGroupSettingsDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The settings in force, defaults filled in', example: GROUP_SETTINGS_EXAMPLE })
  settings: object;
  @ApiProperty({ enum: ['default', 'custom'], description: '`default`: no admin has set them' }) origin: string;
  @ApiPropertyOptional({ type: ProjectionJobDto, description: 'After a change: the background re-evaluation of every stored user it started' })
  job?: ProjectionJobDto;
}

export class PlannedMembershipDto {
  @ApiProperty({ example: 'engineering' }) group: string;
  @ApiProperty({ example: "IdP group 'Okta-Engineering' maps to 'engineering' (manual mapping #1)" }) reason: string;
}

export class PlannedChangeDto {
  @ApiProperty({ description: 'The SCIM user id at the connector' }) sourceRef: string;
  @ApiProperty() userName: string;
  @ApiProperty({ format: 'uuid', description: 'The directory user' }) userId: string;
  @ApiProperty({ type: PlannedMembershipDto, isArray: true }) grant: PlannedMembershipDto[];
  @ApiProperty({ type: PlannedMembershipDto, isArray: true }) revoke: PlannedMembershipDto[];
  @ApiPropertyOptional({ enum: ['leaves', 'returns'], description: 'The user leaves every required group (lifecycle onOutOfScope applies), or returns' })
  scope?: string;
}

export class GroupSettingsDryRunDto {
  @ApiProperty({ description: 'Stored users of the connector evaluated' }) users: number;
  @ApiProperty({ description: 'Users whose memberships or scope would change' }) changedUsers: number;
  @ApiProperty() grants: number;
  @ApiProperty() revokes: number;
  @ApiProperty({ type: String, isArray: true, description: 'Directory groups that would be created' }) groupsToCreate: string[];
  @ApiProperty() leavesScope: number;
  @ApiProperty() returnsScope: number;
  @ApiProperty({ type: PlannedChangeDto, isArray: true, description: 'The first 100 changes' }) changes: PlannedChangeDto[];
}

export class HeldChangeDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) username: string | null;
  @ApiProperty({ description: 'The SCIM user id at the connector' }) sourceRef: string;
  @ApiProperty({ enum: ['deactivated', 'deleted', 'outOfScope', 'dropped'] }) event: string;
  @ApiProperty({ enum: ['disable', 'delete', 'anonymise'] }) action: string;
  @ApiProperty({ enum: ['held', 'approved', 'discarded'] }) status: string;
  @ApiProperty() reason: string;
  @ApiProperty() createdAt: Date;
}

export class HoldDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectorId: string;
  @ApiProperty({ enum: ['open', 'approved', 'discarded'] }) status: string;
  @ApiProperty({ example: '3 of 20 active users (15%) would be deprovisioned within 300 seconds, more than the 10% limit: held for an admin to confirm' })
  reason: string;
  @ApiProperty({ description: 'Deprovisions in this hold' }) held: number;
  @ApiProperty() createdAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) decidedAt: Date | null;
  @ApiPropertyOptional({ nullable: true, type: String }) decidedBy: string | null;
  @ApiPropertyOptional({ type: HeldChangeDto, isArray: true, description: 'One hold: its deprovisions' }) changes?: HeldChangeDto[];
}

export class MembershipReasonDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { kind: 'connector', connectorId: '6f1c…', idpGroup: 'Okta-Engineering' } })
  source: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) connectorName: string | null;
  @ApiProperty({ example: "granted by connector 'Okta' because IdP group 'Okta-Engineering' maps to 'engineering' (manual mapping #1)" }) reason: string;
  @ApiProperty({ description: 'False when the next evaluation of its connector removes this grant' }) lasting: boolean;
  @ApiProperty() grantedAt: Date;
}

export class MembershipWhyDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty() group: string;
  @ApiProperty({ description: 'Whether any grant makes the user a member' }) member: boolean;
  @ApiProperty({ type: MembershipReasonDto, isArray: true }) reasons: MembershipReasonDto[];
}
