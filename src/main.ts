import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { bootstrapLogger, createHttpAdapter, DOCS_PATH, setupApp } from './app.setup.js';
import { readAppConfig } from './config/app.config.js';
import { readBackendsConfig } from './config/backends.config.js';

async function bootstrap(): Promise<void> {
  const started = performance.now();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), { bufferLogs: false });
  await setupApp(app);
  const { host, port, nodeEnv } = readAppConfig();
  await app.listen(port, host);
  const { databaseUrl, redisUrl } = readBackendsConfig();
  bootstrapLogger.log(
    `Backends: ${databaseUrl ? 'PostgreSQL from DATABASE_URL' : 'embedded PostgreSQL (PGlite, no DATABASE_URL set)'}, ` +
      `${redisUrl ? 'Redis from REDIS_URL' : 'in-process store instead of Redis (no REDIS_URL set)'}`,
  );
  const url = await app.getUrl();
  bootstrapLogger.log(
    `otpgate (${nodeEnv}) ready in ${Math.round(performance.now() - started)} ms on ${url}; Swagger UI at ${url}/${DOCS_PATH}`,
  );
}

bootstrap().catch((error: unknown) => {
  bootstrapLogger.error(error instanceof Error ? error.message : String(error), error instanceof Error ? error.stack : undefined);
  process.exit(1);
});
