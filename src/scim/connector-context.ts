import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GroupSettings } from '@roster/group-rules';
import { FastifyRequest } from 'fastify';
import { IdentityLinking } from '../connectors/connector-settings';
import { IdpPreset, Protocol } from '../connectors/connector.entity';
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

export type ScimRequest = FastifyRequest & { connector?: ConnectorContext };

export const ConnectorCtx = createParamDecorator((_: unknown, ctx: ExecutionContext): ConnectorContext => {
  const request = ctx.switchToHttp().getRequest<ScimRequest>();
  if (!request.connector) throw new Error('ConnectorCtx used on a route without ScimAuthGuard');
  return request.connector;
});
