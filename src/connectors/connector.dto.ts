import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { SchemaExtensionDeclaration } from '@roster/scim-core';
import { IDENTITY_LINKING, IdentityLinking, settingsOf } from './connector-settings';
import { Connector, IDP_PRESETS, IdpPreset, Protocol, PROTOCOLS } from './connector.entity';

export const MAX_TOKEN_OVERLAP_SECONDS = 7 * 24 * 3600;

/** The `scimSchemaExtensions` input (checked in depth by the service, which names each problem). */
function SchemaExtensionsProperty(note: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'object' },
      description:
        'Custom SCIM schema extensions (RFC 7643 3.3) this connector accepts, each {resourceType: "User" | "Group", schema: {id, name, description?, attributes}}; ' +
        'attributes use RFC 7643 2.2 characteristics, defaults filled in. Served in /Schemas and /ResourceTypes, usable in filters and PATCH paths.' +
        note,
      example: [
        {
          resourceType: 'User',
          schema: {
            id: 'urn:example:params:scim:schemas:extension:acme:2.0:User',
            name: 'AcmeUser',
            attributes: [{ name: 'badgeNumber', type: 'string' }, { name: 'clearance', type: 'integer' }],
          },
        },
      ],
    }),
    IsOptional(),
    IsArray(),
  );
}

function IdentityLinkingProperty(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      enum: IDENTITY_LINKING,
      default: 'username',
      description:
        'How a new user from this connector meets an existing directory user: `username` links it to the directory user with the same username ' +
        '(case-insensitively); `email` / `externalId` to the one directory user with the same mapped value (none if several share it; choose ' +
        '`email` only for an IdP whose email addresses you trust); `never` links nothing. Without a link, a username clash is 409 to the IdP.',
    }),
    IsOptional(),
    IsIn(IDENTITY_LINKING),
  );
}

export class CreateConnectorDto {
  @ApiProperty({ example: 'Okta production', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: IDP_PRESETS, example: 'okta', description: 'IdP preset: selects request normalisation and default mappings.' })
  @IsIn(IDP_PRESETS)
  idp: IdpPreset;

  @ApiPropertyOptional({ enum: PROTOCOLS, default: 'scim2' })
  @IsOptional()
  @IsIn(PROTOCOLS)
  protocol?: Protocol;

  @ApiPropertyOptional({ format: 'uuid', description: 'Target directory; the default directory when omitted.' })
  @IsOptional()
  @IsUUID()
  directoryId?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @SchemaExtensionsProperty('')
  scimSchemaExtensions?: object[];

  @IdentityLinkingProperty()
  identityLinking?: IdentityLinking;
}

export class UpdateConnectorDto {
  @ApiPropertyOptional({ example: 'Okta (EU tenant)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: IDP_PRESETS })
  @IsOptional()
  @IsIn(IDP_PRESETS)
  idp?: IdpPreset;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  directoryId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @SchemaExtensionsProperty(' Replaces the whole list.')
  scimSchemaExtensions?: object[];

  @IdentityLinkingProperty()
  identityLinking?: IdentityLinking;
}

export class RotateTokenDto {
  @ApiPropertyOptional({
    description: 'Seconds the previous token stays valid, so the IdP can be switched over without failed requests (0 = revoke now).',
    minimum: 0,
    maximum: MAX_TOKEN_OVERLAP_SECONDS,
    default: 0,
    example: 3600,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_TOKEN_OVERLAP_SECONDS)
  overlapSeconds?: number;
}

export class ConnectorDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Okta production' }) name: string;
  @ApiProperty({ enum: IDP_PRESETS, example: 'okta' }) idp: IdpPreset;
  @ApiProperty({ enum: PROTOCOLS, example: 'scim2' }) protocol: Protocol;
  @ApiProperty({ format: 'uuid' }) directoryId: string;
  @ApiProperty({ example: true }) enabled: boolean;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'https://roster.example.com/scim/v2/6f1c2d7e-8a4b-4c3d-9e2f-1a2b3c4d5e6f',
    description: 'What to paste into the IdP as the SCIM base URL (null for LDAP connectors).',
  })
  scimBaseUrl: string | null;
  @ApiProperty({ example: 'rst_Ab3d', description: 'The first characters of the current token, to tell tokens apart.' }) tokenHint: string;
  @ApiProperty() tokenCreatedAt: Date;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'Until when the previous token is still accepted.' })
  previousTokenExpiresAt: Date | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Custom SCIM schema extensions, as declared (with RFC 7643 defaults filled in).' })
  scimSchemaExtensions: SchemaExtensionDeclaration[];
  @ApiProperty({ enum: IDENTITY_LINKING, example: 'username' })
  identityLinking: IdentityLinking;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static from(c: Connector, publicUrl: string): ConnectorDto {
    return Object.assign(new ConnectorDto(), {
      id: c.id,
      name: c.name,
      idp: c.idp,
      protocol: c.protocol,
      directoryId: c.directoryId,
      enabled: c.enabled,
      scimBaseUrl: scimBaseUrl(c, publicUrl),
      tokenHint: c.tokenHint,
      tokenCreatedAt: c.tokenCreatedAt,
      previousTokenExpiresAt: c.previousTokenExpiresAt && c.previousTokenExpiresAt > new Date() ? c.previousTokenExpiresAt : null,
      scimSchemaExtensions: settingsOf(c).scimSchemaExtensions ?? [],
      identityLinking: settingsOf(c).identityLinking ?? 'username',
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    });
  }
}

export class ConnectorWithTokenDto extends ConnectorDto {
  @ApiProperty({
    example: 'rst_Ab3dE5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x',
    description: 'The bearer token for the IdP. Shown only in this response; Roster keeps only its hash.',
  })
  token: string;

  static withToken(c: Connector, publicUrl: string, token: string): ConnectorWithTokenDto {
    return Object.assign(new ConnectorWithTokenDto(), ConnectorDto.from(c, publicUrl), { token });
  }
}

export function scimBaseUrl(c: Pick<Connector, 'id' | 'protocol'>, publicUrl: string): string | null {
  switch (c.protocol) {
    case 'scim2':
      return `${publicUrl}/scim/v2/${c.id}`;
    case 'scim1':
      return `${publicUrl}/scim/v1/${c.id}`;
    case 'ldap':
      return null;
  }
}
