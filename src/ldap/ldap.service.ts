// An LDAP connector's server settings, and the test search an admin runs before any sync: bind, find
// one user by username, and show the entry with what the connector's mapping makes of it.
import { Injectable } from '@nestjs/common';
import { Evaluation } from '@roster/mapping-core';
import { AndFilter, EqualityFilter, FilterParser } from 'ldapts';
import { DomainError } from '../common/domain-error';
import { AdminContext } from '../common/request-context';
import { settingsOf } from '../connectors/connector-settings';
import { Connector } from '../connectors/connector.entity';
import { ConnectorsService } from '../connectors/connectors.service';
import { MappingService } from '../mapping/mapping.service';
import { LdapRecord, toRecord, withLdap } from './ldap-client';
import { checkedLdapSettings, LdapSettings, LdapSettingsView, ldapSettingsView } from './ldap-settings';

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
  constructor(
    private readonly connectors: ConnectorsService,
    private readonly mappings: MappingService,
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
    const entries = await withLdap(settings, async (client) => {
      const { searchEntries } = await client.search(settings.baseDn, { scope: 'sub', filter, attributes: ['*', settings.idAttribute], sizeLimit: 2 });
      return searchEntries;
    });
    if (entries.length === 0) {
      throw DomainError.notFound(`User`, `${settings.usernameAttribute}=${username.trim()} (under ${settings.baseDn}, matching ${settings.userFilter})`);
    }
    if (entries.length > 1) {
      throw DomainError.conflict(`More than one entry has ${settings.usernameAttribute}=${username.trim()} under ${settings.baseDn}: ${entries.map((e) => e.dn).join('; ')}`);
    }
    const entry = toRecord(entries[0]);
    const idValue = Object.entries(entry).find(([name]) => name.toLowerCase() === settings.idAttribute.toLowerCase())?.[1];
    return { entry, id: typeof idValue === 'string' ? idValue : (idValue?.[0] ?? null), mapped: await this.mappings.preview(connectorId, entry) };
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
