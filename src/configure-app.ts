// Everything about the HTTP application that main.ts and the e2e tests must share.
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AdminExceptionFilter } from './common/admin-exception.filter';
import { adminValidationPipe } from './common/validation';

export const SCIM_CONTENT_TYPE = 'application/scim+json';

export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  // SCIM clients send application/scim+json; it is JSON and parsed the same way.
  app.useBodyParser(SCIM_CONTENT_TYPE, { bodyLimit: 10 * 1024 * 1024 });
  app.useGlobalPipes(adminValidationPipe());
  app.useGlobalFilters(new AdminExceptionFilter());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
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
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
