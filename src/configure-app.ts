// Everything about the HTTP application that main.ts and the e2e tests must share.
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ScimError } from '@roster/scim-core';
import { FastifyRequest } from 'fastify';
import { AdminExceptionFilter } from './common/admin-exception.filter';
import { adminValidationPipe } from './common/validation';
import { MetricsService } from './metrics/metrics.service';
import { MAX_BODY_BYTES } from './scim/discovery';
import { ScimRequest } from './scim/connector-context';
import { SCIM_CONTENT_TYPE, ScimExceptionFilter, sendScimError } from './scim/scim-exception.filter';
import { protocolOfUrl } from './scim/scim-version';

const SCIM_PATH = /^\/scim\//;
/** Discovery documents are read-only; any other method is 405, decided before the body is parsed. */
const DISCOVERY_PATH = /^\/scim\/v[12]\/[^/?]+\/(ServiceProviderConfigs?|serviceConfiguration|ResourceTypes|Schemas)(\/[^?]*)?(\?.*)?$/i;

/**
 * Errors raised outside a controller (body parsing, unknown routes) are answered in the format of
 * the API they were meant for: SCIM errors under /scim, the admin API's JSON errors elsewhere.
 */
@Catch()
class ErrorFormatFilter implements ExceptionFilter {
  private readonly scim = new ScimExceptionFilter();
  private readonly admin = new AdminExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost) {
    const url = host.switchToHttp().getRequest<FastifyRequest>().url;
    (SCIM_PATH.test(url) ? this.scim : this.admin).catch(exception, host);
  }
}

export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const fastify = app.getHttpAdapter().getInstance();
  // SCIM clients send application/scim+json or application/json. IdPs also send a Content-Type on
  // requests without a body (Okta's GETs and DELETEs): an empty body is no body, not bad JSON.
  const json = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser(['application/json', SCIM_CONTENT_TYPE.split(';')[0]], { bodyLimit: MAX_BODY_BYTES }, (request, body, done) => {
    if (body.length === 0) done(null, undefined);
    else json(request as never, body.toString('utf8'), done);
  });
  app.useGlobalPipes(adminValidationPipe());
  app.useGlobalFilters(new ErrorFormatFilter());
  app.enableShutdownHooks();

  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && DISCOVERY_PATH.test(request.url)) {
      const error = new ScimError(405, undefined, `${request.method} is not allowed here: discovery endpoints are read-only`);
      sendScimError(reply.header('allow', 'GET'), protocolOfUrl(request.url), error);
      return reply;
    }
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.observe({
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
      connectorId: (request as unknown as ScimRequest).connector?.connectorId,
    });
    done();
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Roster')
      .setDescription(
        'Roster is a self-hosted SCIM provisioning hub. The admin API (`/api/v1`) manages directories and IdP connectors; ' +
          'each connector serves its own SCIM endpoint. Authenticate admin calls with `Authorization: Bearer <ADMIN_TOKEN>`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The admin token (ADMIN_TOKEN, or the one printed at first start)' }, 'admin')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A connector token (shown once when the connector is created or its token rotated)' }, 'scim')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the operator set one' }, 'metrics')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
