import { Logger, type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { readAppConfig } from './config/app.config.js';
import metadata from './metadata.js';

export const DOCS_PATH = 'docs';

/** Fastify with the service's HTTP rules: body limit, request ids, trailing slashes served directly. */
export function createHttpAdapter(): FastifyAdapter {
  const { bodyLimitBytes } = readAppConfig();
  return new FastifyAdapter({
    bodyLimit: bodyLimitBytes,
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    logger: false,
  });
}

/** What main.ts and the e2e tests both apply to the app: hooks, shutdown hooks and Swagger. */
export async function setupApp(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.enableShutdownHooks();
  await setupSwagger(app);
}

async function setupSwagger(app: INestApplication): Promise<void> {
  await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('otpgate')
    .setDescription(
      'Passwordless authentication: request a one-time code by email or SMS, verify it, register or log in, ' +
        'and use the JWTs. Use **Authorize** with an access token to call protected routes. ' +
        'Every error has the body `{success: false, code, message, details?, request_id}`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    customSiteTitle: 'otpgate API',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}

export const bootstrapLogger = new Logger('Bootstrap');
