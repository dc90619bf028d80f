// What a connector's `settings` column holds, typed, and the checks on what an admin writes there.
import { SchemaExtensionDeclaration, validateSchemaExtensions } from '@roster/scim-core';
import { DomainError } from '../common/domain-error';

export const IDENTITY_LINKING = ['username', 'email', 'externalId', 'never'] as const;
export type IdentityLinking = (typeof IDENTITY_LINKING)[number];

export interface ConnectorSettings {
  /** Custom SCIM schema extensions the connector's endpoint accepts (RFC 7643 3.3). */
  scimSchemaExtensions?: SchemaExtensionDeclaration[];
  /** How a new record meets an existing directory user: by username (default), email, externalId, or never. */
  identityLinking?: IdentityLinking;
}

export function settingsOf(connector: { settings: object | null }): ConnectorSettings {
  return (connector.settings ?? {}) as ConnectorSettings;
}

/** The declarations, checked and completed with RFC 7643 defaults; 400 naming each problem otherwise. */
export function checkedExtensions(input: unknown): SchemaExtensionDeclaration[] {
  const result = validateSchemaExtensions(input);
  if (result.ok) return result.extensions;
  throw DomainError.invalid(
    'scimSchemaExtensions is not valid',
    result.problems.map((p) => ({ field: `scimSchemaExtensions${p.path}`, problems: [p.message] })),
  );
}
