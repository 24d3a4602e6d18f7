import type { DataSourceOptions } from 'typeorm';
import { AuditEvent } from '../audit/entities/audit-event.entity.js';
import { TokenRevocation } from '../auth/entities/token-revocation.entity.js';
import { SigningKey } from '../signing-keys/entities/signing-key.entity.js';
import { User } from '../users/entities/user.entity.js';
import { MIGRATIONS } from './migrations.js';

export interface DatabaseConnection {
  url: string;
  poolSize: number;
  /** How long to wait for a connection, from the pool or a new one. */
  timeoutMs: number;
  /**
   * How long to wait for the answer to one query; unset: no limit (the migration commands, whose statements
   * may run long). The service gives its queries the same budget as its connections, so a server that stops
   * answering costs a request DEPENDENCY_TIMEOUT_MS, not more.
   */
  queryTimeoutMs?: number;
}

/** The one TypeORM configuration, used by the app and by the migration CLI's data source. */
export function typeOrmOptions({ url, poolSize, timeoutMs, queryTimeoutMs }: DatabaseConnection): DataSourceOptions {
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
      ...(queryTimeoutMs ? { query_timeout: queryTimeoutMs } : {}),
      idleTimeoutMillis: 30_000,
      application_name: 'otpgate',
    },
  };
}
