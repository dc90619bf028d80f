// What a connector's `settings` column holds, typed, and the checks on what an admin writes there.
import { SchemaExtensionDeclaration, validateSchemaExtensions } from '@roster/scim-core';
import { defaultGroupSettings, GroupSettings, validateGroupSettings } from '@roster/group-rules';
import type { RecordKind } from '@roster/mapping-core';
import { DomainError } from '../common/domain-error';
import type { LdapSettings } from '../ldap/ldap-settings';

export const IDENTITY_LINKING = ['username', 'email', 'externalId', 'never'] as const;
export type IdentityLinking = (typeof IDENTITY_LINKING)[number];

export interface ConnectorSettings {
  /** Custom SCIM schema extensions the connector's endpoint accepts (RFC 7643 3.3). */
  scimSchemaExtensions?: SchemaExtensionDeclaration[];
  /** How a new record meets an existing directory user: by username (default), email, externalId, or never. */
  identityLinking?: IdentityLinking;
  /** Group sync strategy, filters, default groups, lifecycle and brake (@roster/group-rules), as validated. */
  groupSync?: GroupSettings;
  /** An LDAP connector's server, bind and search settings (src/ldap); the password is write-only. */
  ldap?: LdapSettings;
}

/** What a connector's records are: LDAP entries for an LDAP connector, SCIM resources otherwise. */
export function recordKindOf(connector: { protocol: string }): RecordKind {
  return connector.protocol === 'ldap' ? 'ldap' : 'scim';
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

const groupSettingsCache = new WeakMap<object, GroupSettings>();

/**
 * The connector's group-sync and lifecycle settings, defaults filled in. Stored settings were validated
 * when saved; they are read again through the validator so defaults added later apply.
 */
export function groupSettingsOf(connector: { settings: object | null }): GroupSettings {
  const stored = settingsOf(connector).groupSync;
  if (stored === undefined) return defaultGroupSettings();
  const hit = groupSettingsCache.get(stored);
  if (hit) return hit;
  const result = validateGroupSettings(stored);
  const settings = result.ok ? result.settings : defaultGroupSettings();
  groupSettingsCache.set(stored, settings);
  return settings;
}

/** Group settings checked and completed with defaults; 400 naming each problem otherwise. */
export function checkedGroupSettings(input: unknown): GroupSettings {
  const result = validateGroupSettings(input);
  if (result.ok) return result.settings;
  throw DomainError.invalid(
    'The group settings are not valid',
    result.errors.map((e) => ({ field: e.path, problems: [e.message] })),
  );
}
