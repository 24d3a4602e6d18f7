import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, bootstrapLogger, closeOnSignals, createHttpAdapter, DOCS_PATH, setupApp } from './app.setup.js';
import { asPortInUse } from './common/net/port.js';
import { LOG_LEVELS, readAppConfig } from './config/app.config.js';
import { readBackendsConfig } from './config/backends.config.js';
import { probePostgres } from './database/postgres-probe.js';

/** Builds the API and listens (main.ts loads this module once the configuration and the port are known good). */
export async function serve(): Promise<void> {
  const started = performance.now();
  const { logLevel, host, port, nodeEnv, dependencyTimeoutMs } = readAppConfig();
  const { databaseUrl, redisUrl } = readBackendsConfig();
  // An unreachable DATABASE_URL is said in one line before Nest retries and prints its own traces.
  if (databaseUrl) await probePostgres(databaseUrl, 3 * dependencyTimeoutMs);
  const logger = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(logLevel) + 1);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), { ...APP_OPTIONS, logger });
  await setupApp(app);
  await app.listen(port, host).catch((error: unknown) => {
    throw asPortInUse(error, port);
  });
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
