import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Configuration } from '../config/configuration.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { SchemaCheck } from './schema-check.js';
import { StalledConnections } from './stalled-connections.js';
import { typeOrmOptions } from './typeorm-options.js';

@Module({
  providers: [EmbeddedPostgres],
  exports: [EmbeddedPostgres],
})
class EmbeddedPostgresModule {}

/**
 * PostgreSQL through TypeORM. With DATABASE_URL it connects there and refuses to serve a schema whose
 * migrations are behind. Without it, it starts the embedded PGlite and applies the migrations itself,
 * so a fresh clone starts with one command.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedPostgresModule],
      inject: [ConfigService, EmbeddedPostgres],
      useFactory: async (config: ConfigService<Configuration, true>, embedded: EmbeddedPostgres) => {
        const { databaseUrl, databasePoolSize } = config.getOrThrow('backends', { infer: true });
        const timeoutMs = config.getOrThrow('app.dependencyTimeoutMs', { infer: true });
        const connection = databaseUrl
          ? { url: databaseUrl, poolSize: databasePoolSize, timeoutMs, queryTimeoutMs: timeoutMs }
          : { url: await embedded.start(), poolSize: 1, timeoutMs: Math.max(timeoutMs, 10_000), queryTimeoutMs: Math.max(timeoutMs, 10_000) };
        return { ...typeOrmOptions(connection), retryAttempts: 2, retryDelay: 1000 };
      },
    }),
    EmbeddedPostgresModule,
  ],
  providers: [SchemaCheck, StalledConnections],
})
export class DatabaseModule {}
