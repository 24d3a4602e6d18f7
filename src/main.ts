import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, bootstrapLogger, closeOnSignals, createHttpAdapter, DOCS_PATH, setupApp } from './app.setup.js';
import { ConfigError } from './config/env.js';
import { LOG_LEVELS, readAppConfig } from './config/app.config.js';
import { readBackendsConfig } from './config/backends.config.js';
import { DatabaseUnreachableError, probePostgres } from './database/postgres-probe.js';

async function bootstrap(): Promise<void> {
  const started = performance.now();
  const { logLevel, dependencyTimeoutMs } = readAppConfig();
  const { databaseUrl, redisUrl } = readBackendsConfig();
  if (databaseUrl) await probePostgres(databaseUrl, 3 * dependencyTimeoutMs);
  const logger = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(logLevel) + 1);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), { ...APP_OPTIONS, logger });
  await setupApp(app);
  const { host, port, nodeEnv } = readAppConfig();
  await app.listen(port, host);
  closeOnSignals(app, bootstrapLogger);
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
  // A configuration mistake or an unreachable database is said in one line; anything else keeps its stack
  // for whoever debugs it.
  const configMistake = error instanceof ConfigError;
  const oneLine = configMistake || error instanceof DatabaseUnreachableError;
  bootstrapLogger.error(
    configMistake ? `Configuration: ${error.message}` : error instanceof Error ? error.message : String(error),
    oneLine || !(error instanceof Error) ? undefined : error.stack,
  );
  process.exit(1);
});
