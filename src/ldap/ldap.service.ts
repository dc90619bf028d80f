// An LDAP connector's server settings; the test search an admin runs before any sync (bind, find one
// user by username, show the entry with what the connector's mapping makes of it); and the sync of the
// server's users, written as the connector's records through the same service as SCIM writes, so the
// directory projection, lifecycle, brake, group rules and audit trail are the same.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Evaluation } from '@roster/mapping-core';
import { AndFilter, Entry, EqualityFilter, FilterParser } from 'ldapts';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { isUniqueViolation } from '../common/pg-errors';
import { DomainError } from '../common/domain-error';
import { AdminContext } from '../common/request-context';
import { settingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { connectorAuditBase, ConnectorsService } from '../connectors/connectors.service';
import { MappingService } from '../mapping/mapping.service';
import { ConnectorContext, connectorContext } from '../scim/connector-context';
import { resourceKinds } from '../scim/resource-kinds';
import { ScimResourcesService } from '../scim/scim-resources.service';
import { attribute, groupSearch, LdapRecord, normaliseDn, recordId, toRecord, userSearch, values, withLdap } from './ldap-client';
import { checkedLdapSettings, LdapSettings, LdapSettingsView, ldapSettingsView } from './ldap-settings';

export interface LdapSyncSummary {
  /** Entries the search returned. */
  entries: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Records whose entry is gone: the connector's onDelete applied, as for a SCIM DELETE. */
  removed: number;
  /** The same for groups (when settings.syncGroups). */
  groups: { entries: number; created: number; updated: number; unchanged: number; removed: number };
  /** Entries left out, and why (the first 100). */
  skipped: { dn: string; reason: string }[];
  skippedCount: number;
}

export interface LdapTestResult {
  /** The entry found, as mappings read it (binary values in base64). */
  entry: LdapRecord;
  /** The value of the connector's idAttribute: what will identify this user's record. */
  id: string | null;
  /** What the connector's mapping makes of the entry, rule by rule. */
  mapped: Evaluation;
}

@Injectable()
export class LdapService {
  /** Connectors with a sync running in this process. */
  private readonly running = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly connectors: ConnectorsService,
    private readonly mappings: MappingService,
    private readonly resources: ScimResourcesService,
    private readonly audit: AuditService,
  ) {}

  async get(connectorId: string): Promise<LdapSettingsView | null> {
    const settings = settingsOf(await this.ldapConnector(connectorId)).ldap;
    return settings ? ldapSettingsView(settings) : null;
  }

  async replace(ctx: AdminContext, connectorId: string, input: unknown): Promise<LdapSettingsView> {
    const connector = await this.ldapConnector(connectorId);
    const settings = checkedLdapSettings(input, settingsOf(connector).ldap?.bindPassword || undefined);
    const saved = await this.connectors.setSetting(ctx, connectorId, 'ldap', settings, 'connector.ldap_settings_replaced', ldapSettingsView(settings));
    return ldapSettingsView(settingsOf(saved).ldap!);
  }

  /** Binds and searches the connector's users for `username`; exactly one entry must match. */
  async test(connectorId: string, username: unknown): Promise<LdapTestResult> {
    if (typeof username !== 'string' || !username.trim()) {
      throw DomainError.invalid('Name the user to look for', [{ field: 'username', problems: ['must be a non-empty string'] }]);
    }
    const connector = await this.ldapConnector(connectorId);
    const settings = this.configured(connector);
    const filter = new AndFilter({ filters: [FilterParser.parseString(settings.userFilter), new EqualityFilter({ attribute: settings.usernameAttribute, value: username.trim() })] });
    const entries = await withLdap(settings, async (client) => (await client.search(settings.baseDn, userSearch(settings, filter, false))).searchEntries);
    if (entries.length === 0) {
      throw DomainError.notFound(`User`, `${settings.usernameAttribute}=${username.trim()} (under ${settings.baseDn}, matching ${settings.userFilter})`);
    }
    if (entries.length > 1) {
      throw DomainError.conflict(`More than one entry has ${settings.usernameAttribute}=${username.trim()} under ${settings.baseDn}: ${entries.map((e) => e.dn).join('; ')}`);
    }
    const entry = toRecord(entries[0]);
    return { entry, id: recordId(attribute(entry, settings.idAttribute)), mapped: await this.mappings.preview(connectorId, entry) };
  }

  /**
   * A full sync of the server's users (and groups): every entry the search returns becomes (or
   * updates) the connector's record with the entry's id, and a record whose entry is gone is removed
   * as a SCIM DELETE removes one (onDelete, the brake), once every search has completed.
   */
  async sync(ctx: AdminContext, connectorId: string): Promise<LdapSyncSummary> {
    const connector = await this.ldapConnector(connectorId);
    const settings = this.configured(connector);
    if (this.running.has(connectorId)) throw DomainError.conflict(`A sync of connector ${connector.name} is already running`);
    this.running.add(connectorId);
    try {
      const scim = this.context(connector, ctx.requestId);
      const kind = scim.kinds.User;
      const summary: LdapSyncSummary = {
        entries: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        removed: 0,
        groups: { entries: 0, created: 0, updated: 0, unchanged: 0, removed: 0 },
        skipped: [],
        skippedCount: 0,
      };
      const skip = (dn: string, reason: string) => {
        summary.skippedCount++;
        if (summary.skipped.length < 100) summary.skipped.push({ dn, reason });
      };
      const seen = new Set<string>();
      const userByDn = new Map<string, string>();
      // Page by page (500 entries), so memory stays flat whatever the directory's size. Nothing is
      // removed until every search has completed: a failure midway keeps what was written, removes nothing.
      await withLdap(settings, async (client) => {
        for await (const page of client.searchPaginated(settings.baseDn, userSearch(settings, settings.userFilter, true))) {
          summary.entries += page.searchEntries.length;
          const records = page.searchEntries.map(toRecord);
          const ids = records.map((r) => recordId(attribute(r, settings.idAttribute))).filter((id): id is string => id !== null);
          // What is stored for the page, in one read: an unchanged entry costs no statement of its own.
          const stored = await this.resources.storedUsers(scim, ids);
          for (const record of records) await this.syncUser(scim, settings, record, stored, seen, userByDn, summary, skip);
        }
        if (settings.syncGroups) {
          const groupEntries: Entry[] = [];
          for await (const page of client.searchPaginated(settings.groupBaseDn ?? settings.baseDn, groupSearch(settings))) groupEntries.push(...page.searchEntries);
          summary.groups.entries = groupEntries.length;
          await this.syncGroups(scim, settings, groupEntries, userByDn, summary, skip);
        }
      });
      const stored: { id: string }[] = await this.dataSource.query(`SELECT id::text AS id FROM scim_users WHERE connector_id = $1`, [connectorId]);
      for (const { id } of stored.filter((r) => !seen.has(r.id))) {
        await this.resources.delete(scim, kind, id);
        summary.removed++;
      }
      const { skipped: _listed, ...counts } = summary;
      await this.audit.record({ ...connectorAuditBase(ctx, connector), action: 'connector.ldap_synced', details: counts });
      return summary;
    } finally {
      this.running.delete(connectorId);
    }
  }

  /** One user entry as the connector's record; the entry's DN is remembered for group membership. */
  private async syncUser(
    scim: ConnectorContext,
    settings: LdapSettings,
    record: LdapRecord,
    stored: ReadonlyMap<string, unknown>,
    seen: Set<string>,
    userByDn: Map<string, string>,
    summary: LdapSyncSummary,
    skip: (dn: string, reason: string) => void,
  ): Promise<void> {
    const dn = record.dn as string;
    const id = recordId(attribute(record, settings.idAttribute));
    const username = attribute(record, settings.usernameAttribute)?.trim();
    if (!id) return skip(dn, `no usable ${settings.idAttribute} (a UUID, or 16 bytes)`);
    if (!username) return skip(dn, `no ${settings.usernameAttribute}`);
    if (seen.has(id)) return skip(dn, `the same ${settings.idAttribute} as another entry`);
    seen.add(id);
    const displayName = attribute(record, 'displayName') ?? attribute(record, 'cn') ?? null;
    try {
      const columns = { user_name: username, external_id: dn, display_name: displayName, active: true };
      summary[await this.resources.putRecord(scim, scim.kinds.User, id, record, columns, stored.get(id))]++;
      userByDn.set(normaliseDn(dn), id);
    } catch (error) {
      // A new entry is not written; a stored record keeps its last state (and is not removed).
      if (!isUniqueViolation(error)) throw error;
      skip(dn, `another entry already has ${settings.usernameAttribute}=${username}`);
    }
  }

  /**
   * The server's groups as the connector's group records, each with its users: direct members and,
   * through nested groups, theirs (cycles broken). Group rules then make the directory's groups of
   * them, as for an IdP's pushed groups. Groups whose entry is gone are removed.
   */
  private async syncGroups(
    scim: ConnectorContext,
    settings: LdapSettings,
    entries: Entry[],
    userByDn: ReadonlyMap<string, string>,
    summary: LdapSyncSummary,
    skip: (dn: string, reason: string) => void,
  ): Promise<void> {
    const groups = new Map<string, { id: string; name: string; dn: string; members: string[] }>();
    for (const entry of entries) {
      const record = toRecord(entry);
      const id = recordId(attribute(record, settings.idAttribute));
      const name = attribute(record, settings.groupNameAttribute)?.trim();
      if (!id || !name) {
        skip(entry.dn, !id ? `no usable ${settings.idAttribute} (a UUID, or 16 bytes)` : `no ${settings.groupNameAttribute}`);
        continue;
      }
      groups.set(normaliseDn(entry.dn), { id, name, dn: entry.dn, members: values(record, settings.groupMemberAttribute).map(normaliseDn) });
    }
    // Each group's users: a walk through the groups it holds, each group visited once (cycles end).
    const usersOf = (dn: string): Set<string> => {
      const users = new Set<string>();
      const visited = new Set([dn]);
      const queue = [dn];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        for (const member of groups.get(next)?.members ?? []) {
          const user = userByDn.get(member);
          if (user) users.add(user);
          else if (groups.has(member) && !visited.has(member)) {
            visited.add(member);
            queue.push(member);
          }
        }
      }
      return users;
    };
    const seen = new Set<string>();
    for (const [dn, group] of groups) {
      if (seen.has(group.id)) {
        skip(group.dn, `the same ${settings.idAttribute} as another group`);
        continue;
      }
      seen.add(group.id);
      try {
        summary.groups[await this.resources.putGroupRecord(scim, group.id, { displayName: group.name, externalId: group.dn, memberIds: [...usersOf(dn)] })]++;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        skip(group.dn, `another group already has ${settings.groupNameAttribute}=${group.name}`);
      }
    }
    const stored: { id: string }[] = await this.dataSource.query(`SELECT id::text AS id FROM scim_groups WHERE connector_id = $1`, [scim.connectorId]);
    for (const { id } of stored.filter((r) => !seen.has(r.id))) {
      await this.resources.delete(scim, scim.kinds.Group, id);
      summary.groups.removed++;
    }
  }

  /** The connector as the SCIM service sees a connector it writes for. */
  private context(connector: Connector, requestId: string): ConnectorContext {
    return connectorContext(connector, { baseUrl: '', requestId, kinds: resourceKinds() });
  }

  private async ldapConnector(connectorId: string): Promise<Connector> {
    const connector = await this.connectors.get(connectorId);
    if (connector.protocol !== 'ldap') throw DomainError.invalid(`Connector ${connector.name} speaks ${connector.protocol}, not LDAP`);
    return connector;
  }

  private configured(connector: Connector): LdapSettings {
    const settings = settingsOf(connector).ldap;
    if (!settings?.bindPassword) {
      throw DomainError.invalid(`Connector ${connector.name} has no LDAP server settings yet (with a bind password): PUT them to /api/v1/connectors/${connector.id}/ldap first`);
    }
    return settings;
  }
}
