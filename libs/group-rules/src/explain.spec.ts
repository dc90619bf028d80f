import { explainMembership, type ConnectorContext } from './explain';
import type { Grant, Source } from './grants';
import { settingsFrom } from './test-settings';

const USER = 'user-1';
const grant = (source: Source, group = 'engineering'): Grant => ({ userId: USER, group, source });

const okta: ConnectorContext = {
  name: 'Okta',
  settings: settingsFrom({
    strategy: 'manual',
    manual: { mappings: [{ name: 'Sales', groups: ['sales'] }, { externalId: '00gENG', groups: ['engineering'] }] },
    defaultGroups: { newUsers: ['engineering'], allUsers: ['engineering'] },
  }),
  idpGroups: [{ displayName: 'Eng', externalId: '00gENG' }],
};
const entra: ConnectorContext = { name: 'Entra ID', settings: settingsFrom({ neverRemove: ['engineering'] }), idpGroups: [] };
const corpLdap: ConnectorContext = {
  name: 'Corp LDAP',
  settings: settingsFrom({ strategy: 'manual', manual: { mappings: [{ pattern: '^cn=eng,', groups: ['engineering'] }] } }),
  idpGroups: [{ displayName: 'cn=eng,ou=groups' }],
};
const connectors = { okta, entra, ldap: corpLdap };

describe('explainMembership', () => {
  it('names the connector, the IdP group and the manual mapping that grants the membership', () => {
    expect(explainMembership([grant({ kind: 'connector', connectorId: 'okta', idpGroup: 'Eng' })], connectors)).toEqual([
      {
        source: { kind: 'connector', connectorId: 'okta', idpGroup: 'Eng' },
        reason: "granted by connector 'Okta' because IdP group 'Eng' maps to 'engineering' (manual mapping #2)",
        lasting: true,
      },
    ]);
  });

  it('gives one reason per grant: default rules, LDAP, admins', () => {
    const grants = [
      grant({ kind: 'default', connectorId: 'okta', rule: 'allUsers' }),
      grant({ kind: 'default', connectorId: 'okta', rule: 'newUsers' }),
      grant({ kind: 'ldap', connectorId: 'ldap', ldapGroup: 'cn=eng,ou=groups' }),
      grant({ kind: 'admin' }),
      grant({ kind: 'admin' }),
    ];
    expect(explainMembership(grants, connectors).map((r) => [r.reason, r.lasting])).toEqual([
      ["granted by connector 'Okta' because 'engineering' is a default group for all users", true],
      ["granted by connector 'Okta' when the user was created, as 'engineering' was a default group for new users", true],
      ["granted by LDAP connector 'Corp LDAP' because LDAP group 'cn=eng,ou=groups' maps to 'engineering' (manual mapping #1)", true],
      ['added by an admin', true],
    ]);
  });

  it('explains an on-the-fly membership', () => {
    const context = { okta: { name: 'Okta', settings: settingsFrom({}), idpGroups: [{ displayName: 'Engineering' }] } };
    expect(explainMembership([grant({ kind: 'connector', connectorId: 'okta', idpGroup: 'Engineering' })], context)[0].reason).toBe(
      "granted by connector 'Okta' because IdP group 'Engineering' has the same name (on-the-fly)",
    );
  });

  it('says when the next evaluation removes a grant, and what keeps one that stays', () => {
    const grants = [
      grant({ kind: 'connector', connectorId: 'okta', idpGroup: 'Platform' }),
      grant({ kind: 'connector', connectorId: 'entra', idpGroup: 'engineering' }),
    ];
    expect(explainMembership(grants, connectors).map((r) => [r.reason, r.lasting])).toEqual([
      ["granted by connector 'Okta'; the user is no longer in IdP group 'Platform', so the next evaluation removes it", false],
      [
        "granted by connector 'Entra ID'; the user is no longer in IdP group 'engineering', but 'engineering' is a never-remove group (entry #1, 'engineering')",
        true,
      ],
    ]);
  });

  it('reports grants of a connector that is no longer configured', () => {
    expect(explainMembership([grant({ kind: 'connector', connectorId: 'gone', idpGroup: 'Eng' })], connectors)[0]).toMatchObject({
      reason: 'granted by connector gone, which is no longer configured',
      lasting: true,
    });
  });
});
