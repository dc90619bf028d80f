// RFC 7644 section 4 discovery documents: what this endpoint supports, its resource types and their
// schemas with every attribute characteristic (IdPs such as Google build attribute mappings from them).
import { ResourceTypeDef, SchemaDef, SCIM1_CORE_SCHEMA } from '@roster/scim-core';
import { MAX_PAGE_SIZE } from './scim-query';

export const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export const BULK_LIMITS = { maxOperations: 1000, maxPayloadSize: 1024 * 1024 };
/** Request bodies above this are refused before parsing (413); Bulk has its own advertised limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;


export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: true, ...BULK_LIMITS },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: "Authentication with the connector's bearer token: Authorization: Bearer <token>",
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/**
 * The SCIM 1.1 service provider configuration (/ServiceProviderConfigs). Bulk is not served on 1.1
 * endpoints; XML never was.
 */
export function serviceProviderConfigV1(baseUrl: string) {
  const v2 = serviceProviderConfig(baseUrl);
  return {
    schemas: [SCIM1_CORE_SCHEMA],
    patch: v2.patch,
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: v2.filter,
    changePassword: v2.changePassword,
    sort: v2.sort,
    etag: v2.etag,
    xmlDataFormat: { supported: false },
    authenticationSchemes: v2.authenticationSchemes.map(({ name, description, specUri, primary }) => ({ name, description, specUrl: specUri, primary })),
    meta: { location: `${baseUrl}/ServiceProviderConfigs` },
  };
}

export function resourceTypeDocument(def: ResourceTypeDef, baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    ...def,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${def.id}` },
  };
}

export function schemaDocument(def: SchemaDef, baseUrl: string) {
  return {
    schemas: [SCHEMA_SCHEMA],
    ...def,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${def.id}` },
  };
}
