// The configuration backup document (`GET /api/v1/config/export`, `POST /api/v1/config/import`):
// directories and connectors with their settings, attribute mappings and token hashes. Nothing a
// connector's IdP sent (users, groups, memberships, audit) is in it: that is data, not configuration.
// An import is checked in full before anything is written, with every problem named by its path.
import { Mapping } from '@roster/mapping-core';
import { DomainError, FieldProblem } from '../common/domain-error';
import { isUuid } from '../common/uuid';
import { checkedExtensions, checkedGroupSettings, ConnectorSettings, IDENTITY_LINKING, IdentityLinking } from '../connectors/connector-settings';
import { IDP_PRESETS, IdpPreset, Protocol, PROTOCOLS } from '../connectors/connector.entity';
import { checkedLdapSettings } from '../ldap/ldap-settings';
import { checkedMapping } from '../mapping/mapping.service';

export const CONFIG_FORMAT = 'roster-configuration';
export const CONFIG_VERSION = 1;

export interface DirectoryConfig {
  id: string;
  name: string;
  description: string | null;
  isDefault: boolean;
}

export interface ConnectorConfig {
  id: string;
  name: string;
  idp: IdpPreset;
  protocol: Protocol;
  directoryId: string;
  enabled: boolean;
  settings: ConnectorSettings;
  /** The admin's mapping; null when the IdP preset's default applies. */
  mapping: Mapping | null;
  /** The bearer token's SHA-256 hash (never the token): a restored connector keeps working for its IdP. */
  token: { hash: string; hint: string; createdAt: string };
}

export interface ConfigDocument {
  format: typeof CONFIG_FORMAT;
  version: typeof CONFIG_VERSION;
  exportedAt?: string;
  directories: DirectoryConfig[];
  connectors: ConnectorConfig[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const SETTINGS_KEYS = new Set(['scimSchemaExtensions', 'identityLinking', 'groupSync', 'ldap']);

/** Collects problems by path instead of stopping at the first. */
class Problems {
  readonly list: FieldProblem[] = [];

  add(field: string, problem: string): void {
    const existing = this.list.find((p) => p.field === field);
    if (existing) existing.problems.push(problem);
    else this.list.push({ field, problems: [problem] });
  }

  /** Runs one of the admin API's checkers, its problems filed under `prefix`. */
  check<T>(prefix: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'invalid') throw error;
      if (error.fields.length === 0) this.add(prefix, error.message);
      for (const f of error.fields) for (const p of f.problems) this.add(f.field.startsWith('[') ? `${prefix}${f.field}` : `${prefix}.${f.field}`, p);
      return undefined;
    }
  }
}

function name(value: unknown, field: string, problems: Problems): string {
  if (typeof value !== 'string' || !value.trim()) problems.add(field, 'must be a non-empty string');
  else if (value.length > 200) problems.add(field, 'must be at most 200 characters');
  return typeof value === 'string' ? value.trim() : '';
}

function uuid(value: unknown, field: string, problems: Problems): string {
  if (typeof value !== 'string' || !isUuid(value)) problems.add(field, 'must be a UUID');
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, problems: Problems): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) problems.add(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

function bool(value: unknown, field: string, problems: Problems): boolean {
  if (typeof value !== 'boolean') problems.add(field, 'must be true or false');
  return value === true;
}

function directory(input: unknown, at: string, problems: Problems): DirectoryConfig {
  if (!isObject(input)) {
    problems.add(at, 'must be an object');
    return { id: '', name: '', description: null, isDefault: false };
  }
  const description = input.description ?? null;
  if (description !== null && typeof description !== 'string') problems.add(`${at}.description`, 'must be a string or null');
  return {
    id: uuid(input.id, `${at}.id`, problems),
    name: name(input.name, `${at}.name`, problems),
    description: description as string | null,
    isDefault: bool(input.isDefault ?? false, `${at}.isDefault`, problems),
  };
}

function settings(input: unknown, at: string, problems: Problems): ConnectorSettings {
  if (input === undefined) return {};
  if (!isObject(input)) {
    problems.add(at, 'must be an object');
    return {};
  }
  const out: ConnectorSettings = {};
  for (const key of Object.keys(input)) if (!SETTINGS_KEYS.has(key)) problems.add(`${at}.${key}`, 'is not a connector setting');
  if (input.scimSchemaExtensions !== undefined) {
    const extensions = problems.check(at, () => checkedExtensions(input.scimSchemaExtensions));
    if (extensions) out.scimSchemaExtensions = extensions;
  }
  if (input.identityLinking !== undefined) out.identityLinking = oneOf<IdentityLinking>(input.identityLinking, IDENTITY_LINKING, `${at}.identityLinking`, problems);
  if (input.groupSync !== undefined) {
    const groupSync = problems.check(`${at}.groupSync`, () => checkedGroupSettings(input.groupSync));
    if (groupSync) out.groupSync = groupSync;
  }
  if (input.ldap !== undefined) {
    // A backup never carries the bind password: the import keeps the one stored here, if any.
    const ldap = problems.check(`${at}.ldap`, () => checkedLdapSettings(input.ldap, undefined, true));
    if (ldap) out.ldap = ldap;
  }
  return out;
}

function connector(input: unknown, at: string, problems: Problems): ConnectorConfig | undefined {
  if (!isObject(input)) {
    problems.add(at, 'must be an object');
    return undefined;
  }
  const protocol = oneOf<Protocol>(input.protocol ?? 'scim2', PROTOCOLS, `${at}.protocol`, problems);
  let mapping: Mapping | null = null;
  if (input.mapping !== undefined && input.mapping !== null) {
    mapping = problems.check(`${at}.mapping`, () => checkedMapping(input.mapping)) ?? null;
    const expected = protocol === 'ldap' ? 'ldap' : 'scim';
    if (mapping && mapping.kind !== expected) problems.add(`${at}.mapping.kind`, `must be "${expected}" for a ${protocol} connector`);
  }
  const token = isObject(input.token) ? input.token : undefined;
  if (!token) problems.add(`${at}.token`, 'must be an object with the token’s hash, hint and createdAt, as exported');
  else {
    if (typeof token.hash !== 'string' || !/^[0-9a-f]{64}$/.test(token.hash)) problems.add(`${at}.token.hash`, 'must be a SHA-256 hash in hex');
    if (typeof token.hint !== 'string' || token.hint.length > 16) problems.add(`${at}.token.hint`, 'must be a string of at most 16 characters');
    if (typeof token.createdAt !== 'string' || Number.isNaN(Date.parse(token.createdAt))) problems.add(`${at}.token.createdAt`, 'must be a date-time');
  }
  return {
    id: uuid(input.id, `${at}.id`, problems),
    name: name(input.name, `${at}.name`, problems),
    idp: oneOf<IdpPreset>(input.idp, IDP_PRESETS, `${at}.idp`, problems),
    protocol,
    directoryId: uuid(input.directoryId, `${at}.directoryId`, problems),
    enabled: bool(input.enabled ?? true, `${at}.enabled`, problems),
    settings: settings(input.settings, `${at}.settings`, problems),
    mapping,
    token: { hash: String(token?.hash ?? ''), hint: String(token?.hint ?? ''), createdAt: String(token?.createdAt ?? '') },
  };
}

/** Each value of `key` appears once (case-insensitively for names). */
function unique<T>(items: T[], key: (item: T) => string, what: string, at: string, problems: Problems): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item).toLowerCase();
    if (!k) return;
    if (seen.has(k)) problems.add(`${at}[${i}]`, `has the same ${what} as ${at}[${seen.get(k)}]`);
    else seen.set(k, i);
  });
}

/** The document, checked in full; a 400 naming every problem otherwise. */
export function checkedConfigDocument(input: unknown): ConfigDocument {
  const problems = new Problems();
  if (!isObject(input)) throw DomainError.invalid('A configuration backup is a JSON object, as GET /api/v1/config/export writes it');
  if (input.format !== CONFIG_FORMAT) problems.add('format', `must be "${CONFIG_FORMAT}"`);
  if (input.version !== CONFIG_VERSION) problems.add('version', `must be ${CONFIG_VERSION} (this Roster reads version ${CONFIG_VERSION} backups)`);
  const list = (key: 'directories' | 'connectors'): unknown[] => {
    if (Array.isArray(input[key])) return input[key];
    problems.add(key, 'must be a list');
    return [];
  };
  const directories = list('directories').map((d, i) => directory(d, `directories[${i}]`, problems));
  const connectors = list('connectors')
    .map((c, i) => connector(c, `connectors[${i}]`, problems))
    .filter((c): c is ConnectorConfig => c !== undefined);
  unique(directories, (d) => d.id, 'id', 'directories', problems);
  unique(directories, (d) => d.name, 'name', 'directories', problems);
  unique(connectors, (c) => c.id, 'id', 'connectors', problems);
  unique(connectors, (c) => c.name, 'name', 'connectors', problems);
  if (directories.filter((d) => d.isDefault).length > 1) problems.add('directories', 'at most one directory can be the default');
  if (problems.list.length) throw DomainError.invalid('The configuration backup is not valid; nothing was imported', problems.list);
  return { format: CONFIG_FORMAT, version: CONFIG_VERSION, exportedAt: typeof input.exportedAt === 'string' ? input.exportedAt : undefined, directories, connectors };
}
