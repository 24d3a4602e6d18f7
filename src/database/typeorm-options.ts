import type { DataSourceOptions } from 'typeorm';
import { AuditEvent } from '../audit/entities/audit-event.entity.js';
import { TokenRevocation } from '../auth/entities/token-revocation.entity.js';
import { SigningKey } from '../signing-keys/entities/signing-key.entity.js';
import { User } from '../users/entities/user.entity.js';
import { MIGRATIONS } from './migrations.js';

export interface DatabaseConnection {
  url: string;
  poolSize: number;
  timeoutMs: number;
}

/** The one TypeORM configuration, used by the app and by the migration CLI's data source. */
export function typeOrmOptions({ url, poolSize, timeoutMs }: DatabaseConnection): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [User, AuditEvent, SigningKey, TokenRevocation],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install (which needs privileges).
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs * 5,
      idleTimeoutMillis: 30_000,
      application_name: 'otpgate',
    },
  };
}
