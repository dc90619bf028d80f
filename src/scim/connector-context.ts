import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GroupSettings } from '@roster/group-rules';
import { FastifyRequest } from 'fastify';
import { groupSettingsOf, IdentityLinking, settingsOf } from '../connectors/connector-settings';
import { Connector, IdpPreset, Protocol } from '../connectors/connector.entity';
import { ResourceKinds } from './resource-kinds';

/** The authenticated connector a SCIM request acts for: the tenant of every SCIM operation. */
export interface ConnectorContext {
  connectorId: string;
  directoryId: string;
  idp: IdpPreset;
  protocol: Protocol;
  /** How a new user meets an existing directory user (connector setting). */
  linking: IdentityLinking;
  /** Group sync and lifecycle settings (connector setting, defaults filled in). */
  groups: GroupSettings;
  /** Absolute base of this connector's SCIM endpoint, for meta.location and $ref. */
  baseUrl: string;
  requestId: string;
  /** This connector's resource types: the standard ones plus its own schema extensions. */
  kinds: ResourceKinds;
}

/** The context of a request (or an LDAP sync) acting for `connector`, its settings read once. */
export function connectorContext(
  connector: Pick<Connector, 'id' | 'directoryId' | 'idp' | 'protocol' | 'settings'>,
  request: Pick<ConnectorContext, 'baseUrl' | 'requestId' | 'kinds'>,
): ConnectorContext {
  return {
    connectorId: connector.id,
    directoryId: connector.directoryId,
    idp: connector.idp,
    protocol: connector.protocol,
    linking: settingsOf(connector).identityLinking ?? 'username',
    groups: groupSettingsOf(connector),
    ...request,
  };
}

export type ScimRequest = FastifyRequest & { connector?: ConnectorContext };

export const ConnectorCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): ConnectorContext => {
  const request = ctx.switchToHttp().getRequest<ScimRequest>();
  if (!request.connector) throw new Error('ConnectorCtx used on a route without ScimAuthGuard');
  return request.connector;
});
