import { registerAs } from '@nestjs/config';
import { readAppConfig } from './app.config.js';
import { configProblem, readBool, readInt, readUrl } from './env.js';

/** Which PostgreSQL and Redis the service talks to. Unset URLs mean the embedded defaults. */
export interface BackendsConfig {
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Connections in the PostgreSQL pool of each process. */
  databasePoolSize: number;
  /**
   * Whether the hottest statements are named (server-side prepared). Off for the embedded database, whose
   * single backend outlives pool connections, and for poolers that cannot carry them (PgBouncer < 1.21 in
   * transaction mode).
   */
  preparedStatements: boolean;
}

export function readBackendsConfig(env: NodeJS.ProcessEnv = process.env): BackendsConfig {
  const { nodeEnv } = readAppConfig(env);
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  if (nodeEnv === 'production') {
    if (!databaseUrl) configProblem('DATABASE_URL is required in production (the embedded database is for development)');
    if (!redisUrl) configProblem('REDIS_URL is required in production (the in-process store is for development)');
  }
  return {
    databaseUrl,
    redisUrl,
    databasePoolSize: readInt(env, 'DATABASE_POOL_SIZE', 10, { min: 1, max: 200 }),
    preparedStatements: Boolean(databaseUrl) && readBool(env, 'DATABASE_PREPARED_STATEMENTS', true),
  };
}

export const backendsConfig = registerAs('backends', () => readBackendsConfig());

/** For ConditionalModule: whether REDIS_URL is set in this environment. */
export function usesRedis(env: NodeJS.ProcessEnv): boolean {
  return Boolean(readBackendsConfig(env).redisUrl);
}

/** ioredis options (BullMQ's client) for a redis:// or rediss:// URL. */
export function ioredisOptions(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // Reconnect quickly after an outage (ioredis/BullMQ would back off for up to 20 s).
    retryStrategy: (times: number) => Math.min(50 * 2 ** times, 1000),
  };
}
