import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ScimError } from '@roster/scim-core';
import { RosterConfig } from '../config/configuration';
import { bearerToken } from '../common/tokens';
import { isUuid } from '../common/uuid';
import { scimBaseUrl } from '../connectors/connector.dto';
import { ConnectorsService } from '../connectors/connectors.service';
import { settingsOf } from '../connectors/connector-settings';
import { connectorContext, ScimRequest } from './connector-context';
import { ResourceKindsCache } from './resource-kinds';
import { protocolOfUrl } from './scim-version';

/**
 * A SCIM request names its connector in the URL and must carry that connector's bearer token, on
 * the endpoint of the connector's SCIM version. Every failure is the same 401, so a caller learns
 * nothing about which connectors exist.
 */
@Injectable()
export class ScimAuthGuard implements CanActivate {
  private readonly kinds = new ResourceKindsCache();

  constructor(
    private readonly connectors: ConnectorsService,
    @Inject(ConfigService) private readonly config: ConfigService<RosterConfig, true>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const connectorId = (request.params as Record<string, string>).connectorId;
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new ScimError(401, undefined, 'Authorization required: send the connector token as "Authorization: Bearer <token>"');
    const connector = isUuid(connectorId) ? await this.connectors.authenticate(connectorId, token) : null;
    if (!connector || connector.protocol !== protocolOfUrl(request.url)) throw new ScimError(401, undefined, 'The bearer token is not valid for this endpoint');
    if (!connector.enabled) throw new ScimError(403, undefined, 'This connector is disabled in Roster');
    request.connector = connectorContext(connector, {
      baseUrl: scimBaseUrl(connector, this.config.get('app', { infer: true }).publicUrl)!,
      requestId: String(request.id),
      kinds: this.kinds.for(connector.id, settingsOf(connector).scimSchemaExtensions),
    });
    return true;
  }
}
